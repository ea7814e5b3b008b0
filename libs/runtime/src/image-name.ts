import { RuntimeError } from './errors.js';

/** Splits `registry:port/repo:tag` into repository and tag (`latest` when none is given). */
export function splitRepositoryTag(name: string): { repository: string; tag: string } {
  if (name.includes('@')) {
    throw new RuntimeError('invalid-reference', `Image name ${name} carries a digest: give a repository and tag to create a local image.`);
  }
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) return { repository: name.slice(0, colon), tag: name.slice(colon + 1) };
  return { repository: name, tag: 'latest' };
}
