import { OciError } from './errors.js';
import type { ImageReference } from './types.js';

const hostComponent = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)';
const hostPattern = new RegExp(`^(?:${hostComponent}(?:\\.${hostComponent})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]{1,5})?$`);
const repositoryComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const digestPattern = /^sha256:[a-f0-9]{64}$/;

const expectedShape = 'expected <registry-host>/<repository>[:tag][@sha256:<64 hex>]';

function invalid(text: string, why: string): OciError {
  return new OciError(`Image reference "${text}" is invalid: ${why}; ${expectedShape}.`, { reason: 'BAD_REFERENCE' });
}

/** True for a sha256 digest in the only form Lading accepts. */
export function isDigest(value: string): boolean {
  return digestPattern.test(value);
}

/** True for a repository path such as `demo/hello` (lowercase components, no `..`). */
export function isRepository(value: string): boolean {
  return value.length > 0 && value.length <= 255 && value.split('/').every((part) => repositoryComponent.test(part));
}

export function isTag(value: string): boolean {
  return tagPattern.test(value);
}

/** Registry hosts need a dot, a port or the name localhost, so `demo/hello` is never mistaken for one. */
export function isRegistryHost(value: string): boolean {
  return hostPattern.test(value) && (value.includes('.') || value.includes(':') || value === 'localhost');
}

/** Parses `host[:port]/repo[:tag][@sha256:…]`; throws one OciError naming the reference otherwise. */
export function parseReference(text: string): ImageReference {
  if (typeof text !== 'string' || text.length === 0) throw invalid(String(text), 'it is empty');
  if (/\s/.test(text)) throw invalid(text, 'it contains whitespace');
  const [namePart, digest, ...extra] = text.split('@');
  if (extra.length > 0) throw invalid(text, 'it contains more than one "@"');
  if (digest !== undefined && !isDigest(digest)) throw invalid(text, `digest "${digest}" is not sha256:<64 lowercase hex>`);
  const slash = namePart.indexOf('/');
  if (slash < 0) throw invalid(text, 'it has no registry host');
  const registry = namePart.slice(0, slash);
  if (!isRegistryHost(registry)) throw invalid(text, `"${registry}" is not a registry host`);
  let repository = namePart.slice(slash + 1);
  let tag: string | undefined;
  const colon = repository.lastIndexOf(':');
  if (colon >= 0) {
    tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
    if (!isTag(tag)) throw invalid(text, `tag "${tag}" is not valid`);
  }
  if (!isRepository(repository)) {
    throw invalid(text, `repository "${repository}" must be lowercase path components of letters, digits and single separators`);
  }
  return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** Formats a reference back to text; the digest wins over nothing, both are kept when present. */
export function formatReference(reference: ImageReference): string {
  const tag = reference.tag !== undefined ? `:${reference.tag}` : '';
  const digest = reference.digest !== undefined ? `@${reference.digest}` : '';
  return `${reference.registry}/${reference.repository}${tag}${digest}`;
}
