import { digestPattern, repositoryPattern, tagPattern } from './rules.js';
import type { ImageReference } from './types.js';

/**
 * Splits `repo`, `repo:tag`, `repo@sha256:…` or `repo:tag@sha256:…`. Returns undefined when the
 * text is not such a reference.
 */
export function splitImageReference(text: string): ImageReference | undefined {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestPattern.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagPattern.test(tag)) return undefined;
  }
  if (!repositoryPattern.test(rest)) return undefined;
  return { repository: rest, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

/** As splitImageReference, but a reference with neither tag nor digest is refused too. */
export function parseImageReference(text: string): ImageReference | undefined {
  const reference = splitImageReference(text);
  return reference === undefined || (reference.tag === undefined && reference.digest === undefined) ? undefined : reference;
}

/** `repo@sha256:…` when the image is pinned, otherwise `repo:tag`. */
export function formatImageReference(reference: ImageReference): string {
  if (reference.digest !== undefined) return `${reference.repository}@${reference.digest}`;
  return `${reference.repository}:${reference.tag ?? 'latest'}`;
}
