import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { OciError, type OciErrorDetails } from './errors.js';

export function sha256Digest(content: Buffer | string): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

/** Hashes bytes as they pass; `digest` and `size` are final once the stream ended. */
export class DigestMeter extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private result: string | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.result = `sha256:${this.hash.digest('hex')}`;
    callback();
  }

  get size(): number {
    return this.bytes;
  }

  get digest(): string {
    if (this.result === undefined) throw new Error('DigestMeter read before the stream ended');
    return this.result;
  }
}

/** Passes bytes through and fails the stream at its end when the content is not what the digest names. */
export class DigestVerifier extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;

  constructor(
    private readonly expectedDigest: string,
    private readonly expectedSize: number | undefined,
    private readonly describe: string,
    private readonly details: OciErrorDetails,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (this.expectedSize !== undefined && this.bytes > this.expectedSize) {
      callback(this.mismatch(`is larger than the ${this.expectedSize} bytes announced`));
      return;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const actual = `sha256:${this.hash.digest('hex')}`;
    if (actual !== this.expectedDigest) {
      callback(this.mismatch(`has digest ${actual}`));
      return;
    }
    if (this.expectedSize !== undefined && this.bytes !== this.expectedSize) {
      callback(this.mismatch(`has ${this.bytes} bytes instead of ${this.expectedSize}`));
      return;
    }
    callback();
  }

  private mismatch(what: string): OciError {
    return new OciError(
      `${this.describe} ${what}, not the content of ${this.expectedDigest}; the registry served corrupt or substituted data.`,
      { ...this.details, reason: 'DIGEST_MISMATCH' },
    );
  }
}
