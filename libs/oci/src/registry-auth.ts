import { parseChallenge } from './auth-challenge.js';
import { OciError } from './errors.js';
import type { KeptConnections } from './kept-connections.js';
import type { RegistryCredentials } from './types.js';

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

const defaultTokenLifetimeSeconds = 60;
/**
 * Scopes announced ahead are asked for together, in one token request, as long as its URL stays
 * within this many characters (8 KiB is the smallest request-line limit of common servers).
 */
const maxTokenUrlLength = 8 * 1024;
// Renew a little early so a token does not expire between the check and the request.
const renewalMarginMs = 10_000;

/**
 * Answers the registry's 401 challenges: Basic with the credentials, or Bearer tokens fetched from the
 * challenge's realm and cached per scope until they expire.
 */
export class RegistryAuth {
  private basicAccepted = false;
  private readonly tokens = new Map<string, CachedToken>();
  /** Token requests in flight, by each scope they cover: concurrent challenges share one. */
  private readonly pending = new Map<string, Promise<CachedToken>>();
  /** Scopes the caller said it is about to need (`expectScopes`), asked for with the next token. */
  private readonly expected = new Set<string>();

  constructor(
    private readonly registry: string,
    private readonly credentials: RegistryCredentials | undefined,
    /** Hosts a token realm may be on (besides the registry); any host when not given. */
    private readonly allowedHosts: readonly string[] | undefined,
    /** The registry's kept connections: a token service is usually the registry's own host. */
    private readonly connections: KeptConnections,
  ) {}

  /** The Authorization header to send for a request needing `scope`, if one is known already. */
  headerFor(scope: string): string | undefined {
    const cached = this.tokens.get(scope);
    if (cached && cached.expiresAt > Date.now()) return `Bearer ${cached.token}`;
    if (this.basicAccepted && this.credentials) return this.basicHeader(this.credentials);
    return undefined;
  }

  /**
   * Announces scopes about to be needed (many images of one registry, say), so that the next token
   * fetched covers them all rather than one token per repository.
   */
  expectScopes(scopes: Iterable<string>): void {
    for (const scope of scopes) if (!this.headerFor(scope)) this.expected.add(scope);
  }

  /**
   * Handles a 401 answer to a request sent with `sentWith` (or no Authorization); afterwards
   * `headerFor(scope)` yields the header to retry with.
   */
  async answer(challengeHeader: string | null, scope: string, repository: string | undefined, sentWith?: string): Promise<void> {
    // A token for this scope arrived while the request was on its way: retry with it.
    const current = this.headerFor(scope);
    if (current !== undefined && current !== sentWith) return;
    const inFlight = this.pending.get(scope);
    if (inFlight) {
      await inFlight.catch(() => undefined);
      if (this.headerFor(scope)) return;
    }
    const challenge = challengeHeader ? parseChallenge(challengeHeader) : undefined;
    const details = { registry: this.registry, repository, status: 401, reason: 'UNAUTHORIZED' };
    if (challenge?.scheme === 'basic') {
      if (!this.credentials) {
        throw new OciError(`Registry ${this.registry} needs a username and password; configure credentials for it.`, details);
      }
      this.basicAccepted = true;
      return;
    }
    if (challenge?.scheme === 'bearer' && challenge.params.realm) {
      const { realm, service } = challenge.params;
      const challenged = (challenge.params.scope ?? scope).split(' ').filter((item) => item.length > 0);
      const covered = [scope, ...this.takeExpected(realm, service, challenged)];
      const fetching = this.fetchToken(realm, service, [...new Set([...challenged, ...covered.slice(1)])], repository);
      for (const each of covered) this.pending.set(each, fetching);
      try {
        const token = await fetching;
        for (const each of covered) this.tokens.set(each, token);
      } finally {
        for (const each of covered) if (this.pending.get(each) === fetching) this.pending.delete(each);
      }
      return;
    }
    throw new OciError(
      `Registry ${this.registry} refused the request with an authentication challenge Lading does not support (${challengeHeader ?? 'none'}).`,
      details,
    );
  }

  /** Announced scopes that fit in one token request beside the challenged ones; they leave the set. */
  private takeExpected(realm: string, service: string | undefined, challenged: readonly string[]): string[] {
    let length = realm.length + (service ? `&service=${encodeURIComponent(service)}`.length : 0);
    for (const scope of challenged) length += `&scope=${encodeURIComponent(scope)}`.length;
    const taken: string[] = [];
    for (const scope of this.expected) {
      if (challenged.includes(scope) || this.pending.has(scope) || this.headerFor(scope)) {
        this.expected.delete(scope);
        continue;
      }
      const added = `&scope=${encodeURIComponent(scope)}`.length;
      if (length + added > maxTokenUrlLength) break;
      length += added;
      taken.push(scope);
      this.expected.delete(scope);
    }
    return taken;
  }

  private async fetchToken(realm: string, service: string | undefined, scopes: string[], repository: string | undefined): Promise<CachedToken> {
    const details = { registry: this.registry, repository, reason: 'TOKEN_REFUSED' };
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new OciError(`Registry ${this.registry} named an invalid token realm "${realm}".`, details);
    }
    if (this.allowedHosts && url.host !== this.registry && !this.allowedHosts.includes(url.host)) {
      throw new OciError(
        `Registry ${this.registry} named token realm ${url.origin}, a host this service may not contact; the operator allows ${[this.registry, ...this.allowedHosts].join(', ')}.`,
        details,
      );
    }
    if (service) url.searchParams.set('service', service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.credentials) headers.authorization = this.basicHeader(this.credentials);
    let response: Response;
    try {
      response = await this.connections.send('GET', url.toString(), headers);
    } catch (error) {
      throw new OciError(`Could not reach the token service ${url.origin} of registry ${this.registry}: ${describeFetchFailure(error)}.`, details, {
        cause: error,
      });
    }
    if (!response.ok) {
      await response.body?.cancel();
      const who = this.credentials ? `user "${this.credentials.username}"` : 'anonymous access';
      throw new OciError(
        `The token service of registry ${this.registry} refused ${who} for ${scopes.join(' ')} (HTTP ${response.status}); check the credentials and their rights.`,
        { ...details, status: response.status },
      );
    }
    const answer = (await response.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown; expires_in?: unknown };
    const token = typeof answer.token === 'string' ? answer.token : typeof answer.access_token === 'string' ? answer.access_token : undefined;
    if (!token) throw new OciError(`The token service of registry ${this.registry} answered without a token.`, details);
    const lifetime = typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : defaultTokenLifetimeSeconds;
    // Short-lived tokens keep half their life rather than none, so a streamed upload can still use them.
    return { token, expiresAt: Date.now() + Math.max(lifetime * 1000 - renewalMarginMs, (lifetime * 1000) / 2) };
  }

  private basicHeader(credentials: RegistryCredentials): string {
    return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  }
}

/** The reason (ECONNREFUSED, ENOTFOUND…): fetch hides it in `cause`, node:http puts it on the error. */
export function describeFetchFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}
