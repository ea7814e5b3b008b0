import { RuntimeError } from './errors.js';
import type { DigestReference } from './types.js';

const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const domain = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)';
const repositoryPattern = new RegExp(`^${domain}?${component}(?:/${component})*$`);
/** The one digest form Lading accepts: sha256 and 64 lowercase hex digits. */
export const digestPattern = /^sha256:[0-9a-f]{64}$/;

/**
 * Parses `repo@sha256:<64 hex>`. Anything else — a tag, a short digest, another algorithm — is
 * refused: a tag can be moved to other content, a digest cannot (guarantee 2).
 */
export function parseDigestReference(reference: string): DigestReference {
  const at = reference.indexOf('@');
  if (at < 0) {
    throw new RuntimeError('invalid-reference', `Image reference ${reference} has no digest; only repo@sha256:<digest> references are run: build or publish the bundle so that it pins its images by digest.`);
  }
  const repository = reference.slice(0, at);
  const digest = reference.slice(at + 1);
  if (!repositoryPattern.test(repository)) {
    throw new RuntimeError('invalid-reference', `Image reference ${reference} has an invalid repository part (a tag next to the digest is not accepted either): use repo@sha256:<digest>.`);
  }
  if (!digestPattern.test(digest)) {
    throw new RuntimeError('invalid-reference', `Image reference ${reference} has an invalid digest: use repo@sha256: followed by 64 lowercase hex digits.`);
  }
  return { repository, digest };
}

/** A local image id is the digest of the image config, so it pins content as well as a repo digest. */
export function isImageId(reference: string): boolean {
  return digestPattern.test(reference);
}

/** Docker Hub names are shown shortened in RepoDigests (`docker.io/library/x` → `x`). */
export function normalizeRepository(repository: string): string {
  const withoutHub = repository.replace(/^(?:docker\.io|index\.docker\.io)\//, '');
  return withoutHub !== repository || !withoutHub.includes('/') ? withoutHub.replace(/^library\//, '') : withoutHub;
}
