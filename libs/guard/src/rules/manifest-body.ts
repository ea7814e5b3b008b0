import { sha256Digest } from '@lading/oci';
import type { Readable } from 'node:stream';
import { CodedError } from '@lading/contracts/errors';

export const knownManifestMediaTypes = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
] as const;

const indexMediaTypes = new Set<string>([knownManifestMediaTypes[1], knownManifestMediaTypes[3]]);

/** A manifest the guard refuses before anything reaches the upstream. */
export class ManifestRejectedError extends CodedError {
  constructor(
    readonly status: number,
    /** The OCI Distribution error code the front door answers with. */
    readonly ociCode: 'MANIFEST_INVALID' | 'SIZE_INVALID' | 'DIGEST_INVALID',
    message: string,
  ) {
    super('invalid_request', message);
  }
}

export interface ValidManifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
}

/** Reads at most `limit` bytes; a larger manifest is refused without reading the rest. */
export async function readBoundedBody(stream: Readable, declaredLength: string | undefined, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new ManifestRejectedError(413, 'SIZE_INVALID', `the manifest is larger than the ${limit}-byte limit; split it or raise the guard's limit`);
  if (declaredLength !== undefined && Number(declaredLength) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Checks the manifest is JSON of a known media type with the fields its type requires. */
export function validateManifest(bytes: Buffer, contentType: string | undefined): ValidManifest {
  const invalid = (why: string) => new ManifestRejectedError(400, 'MANIFEST_INVALID', `the manifest is invalid: ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid('it is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid('it is not a JSON object');
  const manifest = parsed as Record<string, unknown>;
  if (manifest.schemaVersion !== 2) throw invalid('schemaVersion must be 2');
  const headerType = contentType?.split(';')[0]?.trim();
  const mediaType = typeof manifest.mediaType === 'string' ? manifest.mediaType : headerType;
  if (!mediaType || !(knownManifestMediaTypes as readonly string[]).includes(mediaType)) {
    throw invalid(`media type "${mediaType ?? 'none'}" is not one of ${knownManifestMediaTypes.join(', ')}`);
  }
  if (indexMediaTypes.has(mediaType)) {
    if (!Array.isArray(manifest.manifests)) throw invalid('an index needs a "manifests" array');
  } else if (typeof manifest.config !== 'object' || manifest.config === null || !Array.isArray(manifest.layers)) {
    throw invalid('an image manifest needs a "config" object and a "layers" array');
  }
  return { bytes, mediaType, digest: sha256Digest(bytes) };
}
