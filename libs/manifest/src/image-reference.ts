import { isRegistryHost, qualifiedName, splitReference } from '@lading/contracts/reference-grammar';
import type { ImageReference } from './types.js';

/**
 * Splits `host/repo`, `host/repo:tag`, `host/repo@sha256:…` or `host/repo:tag@sha256:…` by the
 * OCI grammar. Returns undefined when the text is not such a reference, or names no registry
 * host (`team/app` means Docker Hub, which Lading never pulls from implicitly).
 */
export function splitImageReference(text: string): ImageReference | undefined {
  const parts = splitReference(text);
  if (typeof parts === 'string' || parts.registry === undefined) return undefined;
  const { tag, digest } = parts;
  return { repository: qualifiedName(parts), ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

/** As splitImageReference, but a reference with neither tag nor digest is refused too. */
export function parseImageReference(text: string): ImageReference | undefined {
  const reference = splitImageReference(text);
  return reference === undefined || (reference.tag === undefined && reference.digest === undefined) ? undefined : reference;
}

/** `host/team/app`: a repository on a named registry, without tag or digest. */
export function isRegistryRepository(text: string): boolean {
  const reference = splitImageReference(text);
  return reference !== undefined && reference.tag === undefined && reference.digest === undefined;
}

/**
 * Where bundles go: a registry host with an optional path (`127.0.0.1:5000/team`), or, as Porter
 * reads `registry: getporter`, a path alone.
 */
export function isRegistryLocation(text: string): boolean {
  if (isRegistryHost(text)) return true;
  const parts = splitReference(text);
  return typeof parts !== 'string' && parts.tag === undefined && parts.digest === undefined;
}

/** `repo@sha256:…` when the image is pinned, otherwise `repo:tag`. */
export function formatImageReference(reference: ImageReference): string {
  if (reference.digest !== undefined) return `${reference.repository}@${reference.digest}`;
  return `${reference.repository}:${reference.tag ?? 'latest'}`;
}
