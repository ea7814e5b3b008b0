import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Where clients fetch a token: docker and skopeo follow the Bearer challenge's realm here. */
export const tokenPath = '/lading/token';
const service = 'lading-registry-guard';
const lifetimeSeconds = 300;

/**
 * Short-lived bearer tokens naming a principal, signed with an HMAC key. They exist because
 * Docker sends credentials only after a challenge on its first request (the ping) and then fails
 * an anonymous pull if that challenge was Basic; a Bearer challenge lets it fetch a token with the
 * login it has, or without one for reading. The token carries only who; what it may do is decided
 * per request, as for Basic auth.
 */
export class RegistryTokens {
  constructor(
    private readonly key: Buffer = randomBytes(32),
    private readonly now: () => number = Date.now,
  ) {}

  challenge(publicOrigin: string): string {
    return `Bearer realm="${publicOrigin}${tokenPath}",service="${service}"`;
  }

  issue(principal: string): { token: string; access_token: string; expires_in: number; issued_at: string } {
    const issuedAt = this.now();
    const body = Buffer.from(JSON.stringify({ sub: principal, exp: Math.floor(issuedAt / 1000) + lifetimeSeconds })).toString('base64url');
    const token = `${body}.${this.sign(body)}`;
    return { token, access_token: token, expires_in: lifetimeSeconds, issued_at: new Date(issuedAt).toISOString() };
  }

  /** The principal a token names, or undefined when it is forged, malformed or expired. */
  verify(token: string): string | undefined {
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { sub?: unknown; exp?: unknown };
      if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || claims.exp * 1000 <= this.now()) return undefined;
      return claims.sub;
    } catch {
      return undefined;
    }
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
