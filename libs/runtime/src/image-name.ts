import { qualifiedName, splitReference } from '@lading/contracts/reference-grammar';
import { RuntimeError } from './errors.js';

/** Splits `registry:port/repo:tag` by the OCI grammar into repository and tag (`latest` when none is given). */
export function splitRepositoryTag(name: string): { repository: string; tag: string } {
  if (name.includes('@')) {
    throw new RuntimeError('invalid-reference', `Image name ${name} carries a digest: give a repository and tag to create a local image.`);
  }
  const parts = splitReference(name);
  if (typeof parts === 'string') throw new RuntimeError('invalid-reference', `Image name ${name} is invalid: ${parts}.`);
  return { repository: qualifiedName(parts), tag: parts.tag ?? 'latest' };
}
