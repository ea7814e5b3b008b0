import http, { type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { UpstreamLink } from './upstream-link.js';
import { knownManifestMediaTypes } from '../rules/manifest-body.js';
import { CodedError } from '@lading/contracts/errors';

export interface UpstreamAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The upstream refused a write; the guard relays its answer to the client as is. */
export class UpstreamRefusedError extends CodedError {
  constructor(readonly answer: UpstreamAnswer) {
    super('upstream_failed', `the upstream registry answered ${answer.status}`);
  }
}

const headAttempts = 5;

/** Small, buffered calls the guard makes itself while deciding a tag or a delete; no blob's bytes pass here. */
export class UpstreamRegistry {
  constructor(private readonly link: UpstreamLink) {}

  /**
   * The digest a tag has upstream, or undefined. docker-registry can answer 500 while another
   * writer is rewriting that tag's link file; a read is safe to repeat, so such answers are
   * retried a few times, with a growing pause, before they reach the client.
   */
  async headTag(req: IncomingMessage, repository: string, tag: string): Promise<string | undefined> {
    for (let attempt = 1; ; attempt++) {
      const answer = await this.call(req, 'HEAD', `/v2/${repository}/manifests/${tag}`, {
        accept: knownManifestMediaTypes.join(', '),
      });
      if (answer.status === 404) return undefined;
      const digest = answer.headers['docker-content-digest'];
      if (answer.status === 200 && typeof digest === 'string') return digest;
      if (answer.status < 500 || attempt >= headAttempts) throw new UpstreamRefusedError(answer);
      await delay(25 * 2 ** attempt);
    }
  }

  async putManifest(
    req: IncomingMessage,
    repository: string,
    reference: string,
    body: Buffer,
    mediaType: string,
    signal?: AbortSignal,
  ): Promise<UpstreamAnswer> {
    const answer = await this.call(
      req,
      'PUT',
      `/v2/${repository}/manifests/${reference}`,
      { 'content-type': mediaType, 'content-length': body.length },
      body,
      signal,
    );
    if (answer.status >= 300) throw new UpstreamRefusedError(answer);
    return answer;
  }

  deleteManifest(req: IncomingMessage, repository: string, reference: string, signal?: AbortSignal): Promise<UpstreamAnswer> {
    return this.remove(req, `/v2/${repository}/manifests/${reference}`, signal);
  }

  deleteBlob(req: IncomingMessage, repository: string, digest: string): Promise<UpstreamAnswer> {
    return this.remove(req, `/v2/${repository}/blobs/${digest}`);
  }

  private async remove(req: IncomingMessage, path: string, signal?: AbortSignal): Promise<UpstreamAnswer> {
    const answer = await this.call(req, 'DELETE', path, {}, undefined, signal);
    if (answer.status >= 300) throw new UpstreamRefusedError(answer);
    return answer;
  }

  private call(
    req: IncomingMessage,
    method: string,
    path: string,
    headers: OutgoingHttpHeaders,
    body?: Buffer,
    signal?: AbortSignal,
  ): Promise<UpstreamAnswer> {
    return new Promise((resolve, reject) => {
      const outgoing = http.request({ ...this.link.requestOptions(method, path, headers, req), signal }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 502, headers: incoming.headers, body: Buffer.concat(chunks) }));
        incoming.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
}
