import { isIndexMediaType } from './media-types.js';
import { parseManifestDocument, blobDescriptors } from './manifest-document.js';
import type { RegistryClient } from './registry-client.js';
import type { Descriptor, ManifestHead } from './types.js';

export interface ImageSource {
  /** The registry the image is in; the target registry itself when omitted. */
  readonly from?: RegistryClient;
  readonly fromRepo: string;
  readonly digest: string;
}

/**
 * Copies a manifest (an image, or an index and every manifest it lists) with all its blobs into a
 * repository of `client`'s registry, by digest only: within one registry blobs are mounted across
 * repositories when the registry allows it and streamed otherwise; from another registry they are
 * streamed through this process. No tag is written.
 */
export async function copyImage(client: RegistryClient, source: ImageSource, toRepo: string): Promise<ManifestHead> {
  return copyManifest({ from: source.from ?? client, fromRepo: source.fromRepo, to: client, toRepo }, source.digest);
}

interface CopyRoute {
  readonly from: RegistryClient;
  readonly fromRepo: string;
  readonly to: RegistryClient;
  readonly toRepo: string;
}

async function copyManifest(route: CopyRoute, digest: string): Promise<ManifestHead> {
  const manifest = await route.from.getManifest(route.fromRepo, digest);
  const document = parseManifestDocument(manifest.body, `${route.from.registry}/${route.fromRepo}@${digest}`);
  const mediaType = document.mediaType ?? manifest.mediaType;
  if (isIndexMediaType(mediaType) || document.manifests) {
    for (const child of document.manifests ?? []) await copyManifest(route, child.digest);
  }
  for (const blob of blobDescriptors(document)) await copyBlob(route.to, route.fromRepo, blob, route.toRepo, route.from);
  await route.to.putManifest(route.toRepo, manifest.digest, mediaType, manifest.body);
  return { digest: manifest.digest, mediaType, size: manifest.body.length };
}

/**
 * Mount first; stream through this process only when the registry cannot link the blob itself
 * (a registry may answer a mount request with a plain upload session) or it comes from another
 * registry.
 */
export async function copyBlob(client: RegistryClient, fromRepo: string, blob: Descriptor, toRepo: string, from: RegistryClient = client): Promise<void> {
  const sameRegistry = from.registry === client.registry;
  if (sameRegistry && fromRepo === toRepo) return;
  if (await client.hasBlob(toRepo, blob.digest)) return;
  if (sameRegistry && (await client.mountBlob(toRepo, blob.digest, fromRepo))) return;
  const content = await from.getBlob(fromRepo, blob.digest, blob.size);
  await client.uploadBlob(toRepo, content, { digest: blob.digest, size: blob.size });
}
