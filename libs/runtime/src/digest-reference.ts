import { isDigest, qualifiedName, splitReference } from '@lading/contracts/reference-grammar';
import { RuntimeError } from './errors.js';
import type { DigestReference } from './types.js';

/**
 * Parses `repo@sha256:<64 hex>` by the OCI grammar. Anything else — a tag, a short digest,
 * another algorithm — is refused: a tag can be moved to other content, a digest cannot
 * (guarantee 2).
 */
export function parseDigestReference(reference: string): DigestReference {
  if (!reference.includes('@')) {
    throw new RuntimeError('invalid-reference', `Image reference ${reference} has no digest; only repo@sha256:<digest> references are run: build or publish the bundle so that it pins its images by digest.`);
  }
  if (!isDigest(reference.slice(reference.lastIndexOf('@') + 1))) {
    throw new RuntimeError('invalid-reference', `Image reference ${reference} has an invalid digest: use repo@sha256: followed by 64 lowercase hex digits.`);
  }
  const parts = splitReference(reference);
  if (typeof parts === 'string' || parts.tag !== undefined || parts.digest === undefined) {
    throw new RuntimeError('invalid-reference', `Image reference ${reference} has an invalid repository part (a tag next to the digest is not accepted either): use repo@sha256:<digest>.`);
  }
  return { repository: qualifiedName(parts), digest: parts.digest };
}

/** A local image id is the digest of the image config, so it pins content as well as a repo digest. */
export function isImageId(reference: string): boolean {
  return isDigest(reference);
}

