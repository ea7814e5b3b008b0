import { createHash, randomBytes, type Hash } from 'node:crypto';
import { buildContextLimits, type ContextUploadReply, type ContextUploadRequest } from '@lading/contracts';
import { ServiceFailure } from '@lading/service-kit';
import type { BuildContextStore } from './context-store.js';

interface Session {
  /** Who began the upload (the principal nats-server vouched for, or '' for a service user); only they may continue it. */
  readonly uploader: string;
  readonly digest: string;
  readonly size: number;
  readonly hash: Hash;
  readonly parts: Buffer[];
  received: number;
  touched: number;
}

/** Uploads being received at once, each holding at most one archive in memory. */
const maxSessions = 8;
/** A session nobody continues is dropped after this long, so abandoned uploads do not keep memory. */
const idleMs = 10 * 60 * 1000;

/**
 * Receives build contexts chunk by chunk. The uploader names the archive by its sha256 and the
 * builder hands out a random session id, bound to the uploader, for the rest of the chunks; the bytes are stored only
 * when their digest is the one named, so no one can make a digest mean other content. A digest
 * already stored is answered at once: the second upload is a no-op.
 */
export class ContextUploads {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly store: BuildContextStore) {}

  async receive(request: ContextUploadRequest, uploader: string): Promise<ContextUploadReply> {
    this.dropIdle();
    const chunk = Buffer.from(request.data, 'base64');
    if (request.upload === undefined) {
      if (request.offset !== 0) throw new ServiceFailure('invalid_request', 'a build context upload starts at offset 0');
      if (await this.store.has(request.digest)) return { upload: '', received: request.size, stored: true };
      if (this.sessions.size >= maxSessions) {
        throw new ServiceFailure('conflict', `the builder is already receiving ${maxSessions} build contexts: run \`lading build\` again once one has finished`);
      }
      const upload = randomBytes(16).toString('hex');
      this.sessions.set(upload, { uploader, digest: request.digest, size: request.size, hash: createHash('sha256'), parts: [], received: 0, touched: Date.now() });
      return this.append(upload, chunk);
    }
    const session = this.sessions.get(request.upload);
    if (!session || session.uploader !== uploader || session.digest !== request.digest || session.size !== request.size) {
      throw new ServiceFailure('not_found', `build context upload ${request.upload} is not open for ${request.digest}: run \`lading build\` again`);
    }
    if (request.offset !== session.received) {
      this.sessions.delete(request.upload);
      throw new ServiceFailure('invalid_request', `build context chunk at offset ${request.offset} arrived where offset ${session.received} was due: run \`lading build\` again`);
    }
    return this.append(request.upload, chunk);
  }

  private async append(upload: string, chunk: Buffer): Promise<ContextUploadReply> {
    const session = this.sessions.get(upload) as Session;
    if (chunk.length === 0 || chunk.length > buildContextLimits.chunkBytes || session.received + chunk.length > session.size) {
      this.sessions.delete(upload);
      throw new ServiceFailure('invalid_request', `a build context chunk must hold 1 to ${buildContextLimits.chunkBytes} bytes and stay within the announced ${session.size}`);
    }
    session.hash.update(chunk);
    session.parts.push(chunk);
    session.received += chunk.length;
    session.touched = Date.now();
    if (session.received < session.size) return { upload, received: session.received, stored: false };

    this.sessions.delete(upload);
    const actual = `sha256:${session.hash.digest('hex')}`;
    if (actual !== session.digest) {
      throw new ServiceFailure('invalid_request', `the uploaded build context is ${actual}, not ${session.digest} as announced, so nothing was stored`);
    }
    await this.store.storeOnce(Buffer.concat(session.parts));
    return { upload, received: session.received, stored: true };
  }

  private dropIdle(): void {
    const cutoff = Date.now() - idleMs;
    for (const [upload, session] of this.sessions) if (session.touched < cutoff) this.sessions.delete(upload);
  }
}
