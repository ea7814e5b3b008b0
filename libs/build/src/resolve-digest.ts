import { OciError, parseReference, type RegistryClient } from '@lading/oci';
import { BuildRefusedError } from './types.js';

export interface PinnedImage {
  /** `registry/repository@sha256:…` */
  reference: string;
  digest: string;
  mediaType: string;
  size: number;
}

/**
 * Pins an image reference to a digest by asking its registry (a HEAD, never a local cache).
 * Fails closed: an unknown tag, a digest the registry does not hold or an unreachable
 * registry stops the build.
 */
export async function resolveDigest(text: string, what: string, registryFor: (host: string, what: string) => RegistryClient): Promise<PinnedImage> {
  let reference;
  try {
    reference = parseReference(text);
  } catch (error) {
    throw new BuildRefusedError(`${what} "${text}" is not a valid image reference: ${(error as Error).message}`, 'invalid');
  }
  let client;
  try {
    client = registryFor(reference.registry, `${what} "${text}"`);
  } catch (error) {
    if (error instanceof OciError) throw new BuildRefusedError(error.message, 'unresolvable');
    throw error;
  }
  const wanted = reference.digest ?? reference.tag ?? 'latest';
  let head;
  try {
    head = await client.headManifest(reference.repository, wanted);
  } catch (error) {
    const reason = error instanceof OciError ? error.message : (error as Error).message;
    throw new BuildRefusedError(`cannot resolve ${what} "${text}": ${reason}`, 'unresolvable');
  }
  if (!head) throw new BuildRefusedError(`cannot resolve ${what} "${text}": registry ${reference.registry} has no such image; push it there or correct ${what} in the manifest`, 'unresolvable');
  if (reference.digest && head.digest !== reference.digest) {
    throw new BuildRefusedError(`${what} "${text}" resolved to ${head.digest}, not the digest it names`, 'unresolvable');
  }
  return { reference: `${reference.registry}/${reference.repository}@${head.digest}`, digest: head.digest, mediaType: head.mediaType, size: head.size };
}
