import { injectTraceContext } from '@lading/telemetry';
import { OciError } from './errors.js';
import { KeptConnections } from './kept-connections.js';
import { describeFetchFailure, RegistryAuth } from './registry-auth.js';
import type { RegistryClientOptions } from './types.js';

export interface RegistryRequest {
  readonly method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  /** A path below the registry root (`/v2/...`) or an absolute URL the registry handed out (upload locations). */
  readonly url: string;
  readonly repository?: string;
  /** Token scope(s) the request needs, space separated (`repository:demo/app:pull,push`). */
  readonly scope: string;
  /** What the request does, for errors: "fetching manifest demo/app:v1". */
  readonly what: string;
  readonly headers?: Record<string, string>;
  /** A Buffer can be re-sent after an auth challenge; a stream cannot. */
  readonly body?: Buffer | ReadableStream<Uint8Array>;
  /** Statuses handed back to the caller; any other status becomes an OciError. */
  readonly expect: readonly number[];
}

interface RegistryErrorBody {
  errors?: { code?: string; message?: string; detail?: unknown }[];
}

const loopbackHost = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/;
/** Redirects within the registry's own origin followed in a row before giving up. */
const maxRedirects = 5;

/** One registry's HTTP endpoint: base URL, authentication and uniform error reporting. */
export class RegistryTransport {
  readonly registry: string;
  readonly baseUrl: string;
  private readonly auth: RegistryAuth;
  private readonly kept = new KeptConnections();

  constructor(options: RegistryClientOptions) {
    this.registry = options.registry;
    const insecure = options.insecure ?? loopbackHost.test(options.registry);
    this.baseUrl = `${insecure ? 'http' : 'https'}://${options.registry}`;
    this.auth = new RegistryAuth(options.registry, options.credentials, options.allowedHosts, this.kept);
  }

  /** Token scopes about to be needed, to be covered by the next token fetched (see RegistryAuth). */
  expectScopes(scopes: Iterable<string>): void {
    this.auth.expectScopes(scopes);
  }

  async send(request: RegistryRequest): Promise<Response> {
    // What the first attempt authenticated with: a 401 to a request sent before a token arrived is not that token's refusal.
    const sentWith = this.auth.headerFor(request.scope);
    let response = await this.attempt(request);
    if (response.status === 401 && !request.expect.includes(401)) {
      await response.body?.cancel();
      if (request.body !== undefined && !Buffer.isBuffer(request.body)) {
        throw this.error(request, `the registry asked for authentication in the middle of a streamed upload`, 401, 'UNAUTHORIZED');
      }
      await this.auth.answer(response.headers.get('www-authenticate'), request.scope, request.repository, sentWith);
      response = await this.attempt(request);
    }
    if (request.expect.includes(response.status)) return response;
    throw await this.failure(request, response);
  }

  resolve(url: string): string {
    return new URL(url, this.baseUrl).toString();
  }

  error(request: Pick<RegistryRequest, 'what' | 'repository'>, why: string, status?: number, reason?: string): OciError {
    return new OciError(`${capitalize(request.what)} in registry ${this.registry} failed: ${why}.`, {
      registry: this.registry,
      repository: request.repository,
      status,
      reason,
    });
  }

  /**
   * One request, following redirects only within the registry's own origin: a registry (or
   * whoever answers for it) cannot send this process to another host or port.
   */
  private async attempt(request: RegistryRequest): Promise<Response> {
    let url = this.resolve(request.url);
    for (let redirects = 0; ; redirects += 1) {
      const response = await this.attemptAt(request, url);
      const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
      if (location === null) return response;
      await response.body?.cancel();
      const next = new URL(location, url);
      if (next.origin !== new URL(this.baseUrl).origin) {
        throw this.error(request, `the registry redirected to ${next.host}, and Lading follows no redirect to another host`, response.status, 'REDIRECT_REFUSED');
      }
      const replayable = request.body === undefined || Buffer.isBuffer(request.body);
      if (!replayable || redirects >= maxRedirects) {
        throw this.error(request, `the registry redirected ${redirects + 1} times`, response.status, 'REDIRECT_REFUSED');
      }
      url = next.toString();
    }
  }

  private async attemptAt(request: RegistryRequest, url: string): Promise<Response> {
    // Registries answer HEAD/GET fresh; no-cache also keeps any intermediary from replaying a stale tag.
    const headers: Record<string, string> = { 'cache-control': 'no-cache', ...request.headers };
    const authorization = this.auth.headerFor(request.scope);
    if (authorization) headers.authorization = authorization;
    // The registry's server span (the guard's front door) joins the caller's trace.
    injectTraceContext({ get: (key) => headers[key], set: (key, value) => void (headers[key] = value) });
    // Redirects come back to `attempt`, which decides; fetch itself never follows one.
    const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers, redirect: 'manual' };
    if (request.body !== undefined) {
      init.body = request.body;
      if (!Buffer.isBuffer(request.body)) {
        init.duplex = 'half';
        // A stream cannot be re-sent, and with any other mode fetch tees it to be able to: the unread
        // branch would keep every byte of the upload in memory.
        init.redirect = 'error';
      }
    }
    try {
      // Requests without a body (HEADs pinning many images, documents and blobs read) go over kept connections; see KeptConnections for why not fetch.
      if (request.body === undefined && (request.method === 'HEAD' || request.method === 'GET')) return await this.kept.send(request.method, url, headers);
      return await fetch(url, init);
    } catch (error) {
      if (error instanceof OciError) throw error;
      // A stream body that failed (e.g. a digest check) surfaces as the fetch rejection's cause.
      const cause = (error as { cause?: unknown }).cause;
      if (cause instanceof OciError) throw cause;
      throw this.error(request, `could not reach the registry (${describeFetchFailure(error)})`, undefined, 'UNREACHABLE');
    }
  }

  private async failure(request: RegistryRequest, response: Response): Promise<OciError> {
    let code: string | undefined;
    let message: string | undefined;
    if (request.method !== 'HEAD') {
      const text = await response.text().catch(() => '');
      try {
        const first = (JSON.parse(text) as RegistryErrorBody).errors?.[0];
        code = first?.code;
        message = first?.message;
      } catch {
        // Not an OCI error body; the status alone has to do.
      }
    } else {
      await response.body?.cancel();
    }
    const registryWords = code ? ` ${code}${message ? ` (${message})` : ''}` : '';
    const advice = response.status === 401 || response.status === 403 ? '; check the credentials and their rights on this repository' : '';
    return this.error(
      request,
      `the registry answered HTTP ${response.status}${registryWords}${advice}`,
      response.status,
      code ?? `HTTP_${response.status}`,
    );
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
