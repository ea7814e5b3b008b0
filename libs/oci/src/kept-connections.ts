import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { httpAnswer } from './http-answer.js';

/** Longest wait for a registry's answer, as long as fetch waits for response headers. */
const answerTimeoutMs = 300_000;
/**
 * How long a connection stays open unused. Short: a build's HEADs follow each other closely, and
 * a client dropped with its connections open (one per build elsewhere) must not hold them for long.
 */
const idleTimeoutMs = 4_000;

/** The requests that go over kept connections: those without a body, which may be asked again. */
export type KeptMethod = 'HEAD' | 'GET';

/**
 * HEAD and GET requests over connections kept open between requests, one pool per registry.
 *
 * Why not fetch: undici closes the connection after every HEAD whose answer lacks
 * `Connection: keep-alive`, and Go registries (docker-registry, Harbor, GHCR…) never send that
 * header on HTTP/1.1, so each HEAD would pay a new TCP (and TLS) connection; pinning 200 images
 * then spends more time connecting than asking. And a command that reads a bundle's few small
 * documents would load fetch's implementation for them alone (see http-answer.ts). The answer
 * is a `Response` (see http-answer.ts), so the transport treats it like any answer fetch gives.
 */
export class KeptConnections {
  private readonly http = new HttpAgent({ keepAlive: true, timeout: idleTimeoutMs });
  private readonly https = new HttpsAgent({ keepAlive: true, timeout: idleTimeoutMs });

  async send(method: KeptMethod, url: string, headers: Record<string, string>): Promise<Response> {
    try {
      return await this.once(method, url, headers);
    } catch (error) {
      // A kept connection the registry closed while idle fails before any answer; HEAD and GET are safe to ask again.
      if ((error as { reusedSocket?: boolean }).reusedSocket && (error as NodeJS.ErrnoException).code === 'ECONNRESET') return this.once(method, url, headers);
      throw error;
    }
  }

  private once(method: KeptMethod, url: string, headers: Record<string, string>): Promise<Response> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const request = (secure ? httpsRequest : httpRequest)(target, { method, headers, agent: secure ? this.https : this.http, timeout: answerTimeoutMs }, (answer) => {
        if (method === 'HEAD') answer.resume();
        try {
          resolve(httpAnswer(url, answer.statusCode ?? 0, answer.statusMessage ?? '', answer.rawHeaders, method === 'HEAD' ? undefined : answer));
        } catch {
          answer.destroy();
          reject(new Error(`the registry answered an invalid HTTP status ${answer.statusCode}`));
        }
      });
      // Also while the body streams: a registry that stops sending fails the read instead of holding it forever.
      request.once('timeout', () => request.destroy(new Error(`no answer within ${answerTimeoutMs / 1000} s`)));
      request.once('error', (error) => reject(Object.assign(error, { reusedSocket: request.reusedSocket })));
      request.end();
    });
  }
}
