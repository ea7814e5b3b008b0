import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { headAnswer } from './head-answer.js';

/** Longest wait for a registry's answer, as long as fetch waits for response headers. */
const answerTimeoutMs = 300_000;
/**
 * How long a connection stays open unused. Short: a build's HEADs follow each other closely, and
 * a client dropped with its connections open (one per build elsewhere) must not hold them for long.
 */
const idleTimeoutMs = 4_000;

/**
 * HEAD requests over connections kept open between requests, one pool per registry.
 *
 * Why not fetch: undici closes the connection after every HEAD whose answer lacks
 * `Connection: keep-alive`, and Go registries (docker-registry, Harbor, GHCR…) never send that
 * header on HTTP/1.1, so each HEAD would pay a new TCP (and TLS) connection. Pinning 200 images
 * then spends more time connecting than asking. A HEAD answer has no body, so it fits a
 * `Response` whole (see head-answer.ts) and the transport treats it like any answer fetch gives.
 */
export class KeepAliveHead {
  private readonly http = new HttpAgent({ keepAlive: true, timeout: idleTimeoutMs });
  private readonly https = new HttpsAgent({ keepAlive: true, timeout: idleTimeoutMs });

  async send(url: string, headers: Record<string, string>): Promise<Response> {
    try {
      return await this.once(url, headers);
    } catch (error) {
      // A kept connection the registry closed while idle fails at once; HEAD is safe to ask again.
      if ((error as { reusedSocket?: boolean }).reusedSocket && (error as NodeJS.ErrnoException).code === 'ECONNRESET') return this.once(url, headers);
      throw error;
    }
  }

  private once(url: string, headers: Record<string, string>): Promise<Response> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const request = (secure ? httpsRequest : httpRequest)(target, { method: 'HEAD', headers, agent: secure ? this.https : this.http, timeout: answerTimeoutMs }, (answer) => {
        answer.resume();
        try {
          resolve(headAnswer(url, answer.statusCode ?? 0, answer.statusMessage ?? '', answer.rawHeaders));
        } catch {
          reject(new Error(`the registry answered an invalid HTTP status ${answer.statusCode}`));
        }
      });
      request.once('timeout', () => request.destroy(new Error(`no answer within ${answerTimeoutMs / 1000} s`)));
      request.once('error', (error) => reject(Object.assign(error, { reusedSocket: request.reusedSocket })));
      request.end();
    });
  }
}
