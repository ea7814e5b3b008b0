import { forceHeader, tagOutcomeHeader } from './guard-headers.js';
import { pipeline, Readable } from 'node:stream';
import { ChunkSplitter } from './chunks.js';
import { DigestMeter, DigestVerifier, sha256Digest } from './digest.js';
import { OciError } from './errors.js';
import { nodeBody } from './http-answer.js';
import { ManifestMediaTypes } from './media-types.js';
import { isDigest, isRepository, isTag } from './reference.js';
import { RegistryTransport } from './transport.js';
import { pullStream } from './web-stream.js';
import type { BlobSource, BlobUploadOptions, FetchedManifest, ManifestHead, RegistryClientOptions, UploadedBlob } from './types.js';

/** Registries must accept manifests of 4 MiB; anything bigger is refused rather than read into memory. */
const maxManifestBytes = 4 * 1024 * 1024;
const manifestAccept = ManifestMediaTypes.join(', ');

const pull = (repository: string) => `repository:${repository}:pull`;
const push = (repository: string) => `repository:${repository}:pull,push`;

/** A client for one OCI Distribution registry, on Node's fetch. */
export class RegistryClient {
  readonly registry: string;
  private readonly transport: RegistryTransport;

  constructor(options: RegistryClientOptions) {
    this.transport = new RegistryTransport(options);
    this.registry = this.transport.registry;
  }

  /**
   * Says which repositories are about to be read, so that a registry with token authentication
   * hands out one token for all of them instead of one per repository.
   */
  expectPulls(repositories: Iterable<string>): void {
    this.transport.expectScopes([...repositories].map(pull));
  }

  /** Asks the registry (never a cache) what a tag or digest points at; undefined when it does not exist. */
  async headManifest(repository: string, reference: string): Promise<ManifestHead | undefined> {
    this.checkNames(repository, reference);
    const what = `resolving manifest ${describe(repository, reference)}`;
    const response = await this.transport.send({
      method: 'HEAD',
      url: manifestPath(repository, reference),
      repository,
      scope: pull(repository),
      what,
      headers: { accept: manifestAccept },
      expect: [200, 404],
    });
    if (response.status === 404) return undefined;
    const digest = response.headers.get('docker-content-digest');
    if (!digest) {
      // Without the header the only trustworthy digest is the hash of the body.
      const fetched = await this.getManifest(repository, reference);
      return { digest: fetched.digest, mediaType: fetched.mediaType, size: fetched.body.length };
    }
    if (!isDigest(digest)) throw this.transport.error({ what, repository }, `the registry answered an unsupported digest "${digest}"`, 200, 'UNSUPPORTED_DIGEST');
    if (isDigest(reference) && digest !== reference) {
      throw this.transport.error({ what, repository }, `the registry answered digest ${digest} for a different digest`, 200, 'DIGEST_MISMATCH');
    }
    return {
      digest,
      mediaType: contentType(response) ?? '',
      size: Number(response.headers.get('content-length') ?? 0),
    };
  }

  /** Downloads a manifest and checks its bytes against the digest asked for (or announced, for tags). */
  async getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    this.checkNames(repository, reference);
    const what = `fetching manifest ${describe(repository, reference)}`;
    const response = await this.transport.send({
      method: 'GET',
      url: manifestPath(repository, reference),
      repository,
      scope: pull(repository),
      what,
      headers: { accept: manifestAccept },
      expect: [200],
    });
    const body = await readLimited(response, maxManifestBytes, () =>
      this.transport.error({ what, repository }, `the manifest is larger than ${maxManifestBytes} bytes`, 200, 'MANIFEST_TOO_LARGE'),
    );
    const digest = sha256Digest(body);
    const expected = isDigest(reference) ? reference : response.headers.get('docker-content-digest');
    if (expected && expected !== digest) {
      throw new OciError(
        `Manifest ${describe(repository, reference)} from registry ${this.registry} has digest ${digest}, not ${expected}; the registry served corrupt or substituted data.`,
        { registry: this.registry, repository, reason: 'DIGEST_MISMATCH' },
      );
    }
    return { digest, mediaType: contentType(response) ?? mediaTypeOf(body) ?? '', body };
  }

  /** Stores a manifest under a tag or its digest; returns the digest the registry confirmed. */
  async putManifest(repository: string, reference: string, mediaType: string, body: Buffer): Promise<string> {
    return (await this.sendManifest(repository, reference, mediaType, body, {})).digest;
  }

  /**
   * Writes a tag. `force` asks a Lading guard to replace another digest (its ledger decides who
   * may); `outcome` is the guard's answer, undefined when no guard decided.
   */
  async tagManifest(repository: string, tag: string, mediaType: string, body: Buffer, force = false): Promise<{ digest: string; outcome?: string }> {
    return this.sendManifest(repository, tag, mediaType, body, force ? { [forceHeader]: 'true' } : {});
  }

  private async sendManifest(repository: string, reference: string, mediaType: string, body: Buffer, extraHeaders: Record<string, string>): Promise<{ digest: string; outcome?: string }> {
    this.checkNames(repository, reference);
    const digest = sha256Digest(body);
    const what = `storing manifest ${describe(repository, reference)}`;
    if (isDigest(reference) && reference !== digest) {
      throw this.transport.error({ what, repository }, `the manifest's content has digest ${digest}`, undefined, 'DIGEST_MISMATCH');
    }
    const response = await this.transport.send({
      method: 'PUT',
      url: manifestPath(repository, reference),
      repository,
      scope: push(repository),
      what,
      headers: { 'content-type': mediaType, ...extraHeaders },
      body,
      expect: [201],
    });
    await response.body?.cancel();
    const confirmed = response.headers.get('docker-content-digest');
    if (confirmed && confirmed !== digest) {
      throw this.transport.error({ what, repository }, `the registry confirmed digest ${confirmed} instead of ${digest}`, 201, 'DIGEST_MISMATCH');
    }
    return { digest, outcome: response.headers.get(tagOutcomeHeader) ?? undefined };
  }

  /** Deletes a manifest by digest (registries do not delete tags alone). */
  async deleteManifest(repository: string, digest: string): Promise<void> {
    this.checkNames(repository, digest);
    if (!isDigest(digest)) throw badName(`"${digest}" is not a digest; manifests are deleted by digest`);
    const response = await this.transport.send({
      method: 'DELETE',
      url: manifestPath(repository, digest),
      repository,
      scope: `repository:${repository}:delete`,
      what: `deleting manifest ${describe(repository, digest)}`,
      expect: [202],
    });
    await response.body?.cancel();
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    this.checkBlob(repository, digest);
    const response = await this.transport.send({
      method: 'HEAD',
      url: blobPath(repository, digest),
      repository,
      scope: pull(repository),
      what: `checking blob ${describe(repository, digest)}`,
      expect: [200, 404],
    });
    return response.status === 200;
  }

  /** Streams a blob; the stream fails at its end if the bytes do not hash to `digest` (or differ from `size`). */
  async getBlob(repository: string, digest: string, size?: number): Promise<Readable> {
    this.checkBlob(repository, digest);
    const what = `fetching blob ${describe(repository, digest)}`;
    const response = await this.transport.send({
      method: 'GET',
      url: blobPath(repository, digest),
      repository,
      scope: pull(repository),
      what,
      expect: [200],
    });
    const content = bodyStream(response);
    if (!content) throw this.transport.error({ what, repository }, 'the registry answered without content', 200, 'EMPTY_BODY');
    const verifier = new DigestVerifier(digest, size, `Blob ${describe(repository, digest)} from registry ${this.registry}`, {
      registry: this.registry,
      repository,
    });
    // pipeline destroys the verifier with the source's error, so readers see network failures too.
    return pipeline(content, verifier, () => undefined);
  }

  /** Reads a small blob (configs, bundle.json) into memory, verified; refuses blobs above `maxBytes`. */
  async getBlobBuffer(repository: string, digest: string, maxBytes = maxManifestBytes): Promise<Buffer> {
    const stream = await this.getBlob(repository, digest);
    const parts: Buffer[] = [];
    let total = 0;
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) {
        stream.destroy();
        throw this.transport.error({ what: `fetching blob ${describe(repository, digest)}`, repository }, `the blob is larger than ${maxBytes} bytes`);
      }
      parts.push(chunk as Buffer);
    }
    return Buffer.concat(parts);
  }

  /**
   * Uploads a blob. A Buffer goes in one PUT; a stream goes through PATCH requests (one, or one per
   * `chunkSize` bytes) while its digest is computed, so large blobs are never held in memory.
   */
  async uploadBlob(repository: string, source: BlobSource, options: BlobUploadOptions = {}): Promise<UploadedBlob> {
    this.checkNames(repository);
    if (options.digest !== undefined && !isDigest(options.digest)) throw badName(`"${options.digest}" is not a sha256 digest`);
    const what = `uploading blob ${options.digest ? describe(repository, options.digest) : `to ${repository}`}`;
    const location = await this.startUpload(repository, what);
    if (Buffer.isBuffer(source)) {
      const digest = sha256Digest(source);
      if (options.digest && options.digest !== digest) {
        await this.cancelUpload(repository, location);
        throw this.transport.error({ what, repository }, `the content has digest ${digest}`, undefined, 'DIGEST_MISMATCH');
      }
      this.checkSize(what, repository, source.length, options.size);
      await this.finishUpload(repository, location, digest, what, source);
      return { digest, size: source.length };
    }
    return this.uploadStream(repository, source, location, options, what);
  }

  /**
   * Asks the registry to link a blob from another repository. True when mounted; false when the
   * registry declined (the session it opened instead is cancelled; upload the blob then).
   */
  async mountBlob(repository: string, digest: string, fromRepository: string): Promise<boolean> {
    this.checkBlob(repository, digest);
    this.checkNames(fromRepository);
    const query = new URLSearchParams({ mount: digest, from: fromRepository });
    const response = await this.transport.send({
      method: 'POST',
      url: `/v2/${repository}/blobs/uploads/?${query}`,
      repository,
      scope: `${push(repository)} ${pull(fromRepository)}`,
      what: `mounting blob ${digest} from ${fromRepository} into ${repository}`,
      expect: [201, 202],
    });
    await response.body?.cancel();
    if (response.status === 201) return true;
    const location = response.headers.get('location');
    if (location) await this.cancelUpload(repository, location);
    return false;
  }

  /** All tags of a repository (every page); empty when the repository has none. */
  async listTags(repository: string): Promise<string[]> {
    this.checkNames(repository);
    const tags: string[] = [];
    let next: string | undefined = `/v2/${repository}/tags/list?n=1000`;
    while (next) {
      const response = await this.transport.send({
        method: 'GET',
        url: next,
        repository,
        scope: pull(repository),
        what: `listing tags of ${repository}`,
        expect: [200, 404],
      });
      if (response.status === 404) {
        await response.body?.cancel();
        return tags;
      }
      const page = (await response.json()) as { tags?: string[] | null };
      tags.push(...(page.tags ?? []));
      next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(response.headers.get('link') ?? '')?.[1];
    }
    return tags;
  }

  private async uploadStream(repository: string, source: Readable, location: string, options: BlobUploadOptions, what: string): Promise<UploadedBlob> {
    const meter = new DigestMeter();
    const metered = pipeline(source, meter, () => undefined);
    const splitter = new ChunkSplitter(metered, options.chunkSize ?? Number.POSITIVE_INFINITY);
    try {
      while (!(await splitter.done())) {
        const response = await this.transport.send({
          method: 'PATCH',
          url: location,
          repository,
          scope: push(repository),
          what,
          headers: { 'content-type': 'application/octet-stream' },
          body: pullStream(splitter.next()),
          expect: [202],
        });
        await response.body?.cancel();
        location = response.headers.get('location') ?? location;
      }
    } catch (error) {
      metered.destroy();
      await this.cancelUpload(repository, location);
      throw error;
    }
    const digest = meter.digest;
    if (options.digest && options.digest !== digest) {
      await this.cancelUpload(repository, location);
      throw this.transport.error({ what, repository }, `the streamed content has digest ${digest}`, undefined, 'DIGEST_MISMATCH');
    }
    try {
      this.checkSize(what, repository, meter.size, options.size);
    } catch (error) {
      await this.cancelUpload(repository, location);
      throw error;
    }
    await this.finishUpload(repository, location, digest, what);
    return { digest, size: meter.size };
  }

  private async startUpload(repository: string, what: string): Promise<string> {
    const response = await this.transport.send({
      method: 'POST',
      url: `/v2/${repository}/blobs/uploads/`,
      repository,
      scope: push(repository),
      what,
      expect: [202],
    });
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (!location) throw this.transport.error({ what, repository }, 'the registry opened an upload without a Location', 202, 'NO_LOCATION');
    return this.transport.resolve(location);
  }

  private async finishUpload(repository: string, location: string, digest: string, what: string, body?: Buffer): Promise<void> {
    const url = new URL(this.transport.resolve(location));
    url.searchParams.set('digest', digest);
    const response = await this.transport.send({
      method: 'PUT',
      url: url.toString(),
      repository,
      scope: push(repository),
      what,
      headers: { 'content-type': 'application/octet-stream' },
      body: body ?? Buffer.alloc(0),
      expect: [201],
    });
    await response.body?.cancel();
    const confirmed = response.headers.get('docker-content-digest');
    if (confirmed && confirmed !== digest) {
      throw this.transport.error({ what, repository }, `the registry confirmed digest ${confirmed} instead of ${digest}`, 201, 'DIGEST_MISMATCH');
    }
  }

  /** Best effort: an abandoned session only costs the registry some temporary space. */
  private async cancelUpload(repository: string, location: string): Promise<void> {
    try {
      const response = await this.transport.send({
        method: 'DELETE',
        url: location,
        repository,
        scope: push(repository),
        what: `cancelling an upload to ${repository}`,
        expect: [204, 404],
      });
      await response.body?.cancel();
    } catch {
      // Nothing more to do: the registry purges stale uploads itself.
    }
  }

  private checkSize(what: string, repository: string, actual: number, expected: number | undefined): void {
    if (expected !== undefined && expected !== actual) {
      throw this.transport.error({ what, repository }, `the content has ${actual} bytes instead of ${expected}`, undefined, 'SIZE_MISMATCH');
    }
  }

  private checkBlob(repository: string, digest: string): void {
    this.checkNames(repository);
    if (!isDigest(digest)) throw badName(`"${digest}" is not a sha256 digest`);
  }

  private checkNames(repository: string, reference?: string): void {
    if (!isRepository(repository)) {
      throw badName(`repository "${repository}" must be lowercase path components of letters, digits and single separators`);
    }
    if (reference !== undefined && !isTag(reference) && !isDigest(reference)) {
      throw badName(`"${reference}" is neither a tag nor a sha256 digest`);
    }
  }
}

function badName(why: string): OciError {
  return new OciError(`Invalid name: ${why}.`, { reason: 'BAD_REFERENCE' });
}

function describe(repository: string, reference: string): string {
  return isDigest(reference) ? `${repository}@${reference}` : `${repository}:${reference}`;
}

function manifestPath(repository: string, reference: string): string {
  return `/v2/${repository}/manifests/${reference}`;
}

function blobPath(repository: string, digest: string): string {
  return `/v2/${repository}/blobs/${digest}`;
}

function contentType(response: Response): string | undefined {
  const value = response.headers.get('content-type');
  return value ? value.split(';')[0].trim() : undefined;
}

function mediaTypeOf(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { mediaType?: unknown };
    return typeof parsed.mediaType === 'string' ? parsed.mediaType : undefined;
  } catch {
    return undefined;
  }
}

async function readLimited(response: Response, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  const body = bodyStream(response);
  if (declared > maxBytes) {
    body?.destroy();
    throw tooLarge();
  }
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of body ?? []) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) {
      body?.destroy();
      throw tooLarge();
    }
    parts.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(parts);
}

/**
 * An answer's body as a Node stream: the one it arrived on when read over node:http (its web
 * `body` is never touched then: making it would start draining the Node stream), else fetch's
 * body converted; undefined when there is none.
 */
function bodyStream(response: Response): Readable | undefined {
  const arrived = nodeBody(response);
  if (arrived) return arrived;
  return response.body ? Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>) : undefined;
}
