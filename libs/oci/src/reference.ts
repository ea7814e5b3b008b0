import { OciError } from './errors.js';
import { splitReference } from '@lading/contracts/reference-grammar';
import type { ImageReference } from './types.js';

export { isDigest, isRegistryHost, isRepository, isTag } from '@lading/contracts/reference-grammar';

const expectedShape = 'expected <registry-host>/<repository>[:tag][@sha256:<64 hex>]';

function invalid(text: string, why: string): OciError {
  return new OciError(`Image reference "${String(text)}" is invalid: ${why}; ${expectedShape}.`, { reason: 'BAD_REFERENCE' });
}

/** Parses `host[:port]/repo[:tag][@sha256:…]`; throws one OciError naming the reference otherwise. */
export function parseReference(text: string): ImageReference {
  const parts = splitReference(text);
  if (typeof parts === 'string') throw invalid(text, parts);
  if (parts.registry === undefined) throw invalid(text, 'it has no registry host');
  return { ...parts, registry: parts.registry };
}

/** Formats a reference back to text; the digest wins over nothing, both are kept when present. */
export function formatReference(reference: ImageReference): string {
  const tag = reference.tag !== undefined ? `:${reference.tag}` : '';
  const digest = reference.digest !== undefined ? `@${reference.digest}` : '';
  return `${reference.registry}/${reference.repository}${tag}${digest}`;
}
