import { withSpan } from '@lading/telemetry';
import { mapBounded, OciError, parseReference, type ImageReference, type RegistryClient } from '@lading/oci';
import { BuildRefusedError } from './types.js';

/** HEADs in flight at once while pinning a bundle's images: enough to hide latency, few enough for any registry. */
export const resolveConcurrency = 16;

export interface ResolveOptions {
  /** HEADs in flight at most, a positive whole number; `resolveConcurrency` when not given. */
  concurrency?: number;
}

/** One image to pin: its reference as written and where it was written (`images.web`). */
export interface ImageToPin {
  text: string;
  what: string;
}

type RegistryFor = (host: string, what: string) => RegistryClient;

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
export async function resolveDigest(text: string, what: string, registryFor: RegistryFor): Promise<PinnedImage> {
  const [pinned] = await resolveDigests([{ text, what }], registryFor);
  return pinned as PinnedImage;
}

/**
 * Pins many images at once, as `resolveDigest` does each: every reference is checked and every
 * registry allowed before any is contacted, each registry is told which repositories follow (one
 * token for all of them where it uses tokens), and at most `concurrency` HEADs are in flight
 * (over connections each registry's client keeps open). Results keep the input order; the first
 * failure in that order is the one thrown.
 */
export async function resolveDigests(images: readonly ImageToPin[], registryFor: RegistryFor, options: ResolveOptions = {}): Promise<PinnedImage[]> {
  const concurrency = options.concurrency ?? resolveConcurrency;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new BuildRefusedError(`the number of images pinned at once must be a positive whole number, not ${concurrency}`, 'invalid_request');
  }
  const references = images.map(({ text, what }) => parseImage(text, what));
  const targets = images.map(({ text, what }, index) => {
    const reference = references[index] as ImageReference;
    return { text, what, reference, client: clientFor(registryFor, reference, `${what} "${text}"`) };
  });
  const repositories = new Map<RegistryClient, Set<string>>();
  for (const { client, reference } of targets) {
    if (!repositories.has(client)) repositories.set(client, new Set());
    repositories.get(client)?.add(reference.repository);
  }
  for (const [client, names] of repositories) client.expectPulls(names);
  return mapBounded(targets, concurrency, ({ text, what, reference, client }) =>
    withSpan('lading', 'image resolve', { 'lading.image.field': what }, () => pin(text, what, reference, client)),
  );
}

function parseImage(text: string, what: string): ImageReference {
  try {
    return parseReference(text);
  } catch (error) {
    throw new BuildRefusedError(`${what} "${text}" is not a valid image reference: ${(error as Error).message}`, 'invalid_request');
  }
}

function clientFor(registryFor: RegistryFor, reference: ImageReference, what: string): RegistryClient {
  try {
    return registryFor(reference.registry, what);
  } catch (error) {
    if (error instanceof OciError) throw new BuildRefusedError(error.message, 'unresolvable');
    throw error;
  }
}

async function pin(text: string, what: string, reference: ImageReference, client: RegistryClient): Promise<PinnedImage> {
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
