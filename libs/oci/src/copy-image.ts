import { isIndexMediaType } from './media-types.js';
import { parseManifestDocument, blobDescriptors } from './manifest-document.js';
import type { RegistryClient } from './registry-client.js';
import type { Descriptor, ManifestHead } from './types.js';

export interface ImageSource {
  readonly fromRepo: string;
  readonly digest: string;
}

/**
 * Copies a manifest (an image, or an index and every manifest it lists) with all its blobs into another
 * repository of the same registry, by digest only: blobs are mounted across repositories when the
 * registry allows it and streamed otherwise. No tag is written.
 */
export async function copyImage(client: RegistryClient, source: ImageSource, toRepo: string): Promise<ManifestHead> {
  return copyManifest(client, source.fromRepo, source.digest, toRepo);
}

async function copyManifest(client: RegistryClient, fromRepo: string, digest: string, toRepo: string): Promise<ManifestHead> {
  const manifest = await client.getManifest(fromRepo, digest);
  const document = parseManifestDocument(manifest.body, `${fromRepo}@${digest}`);
  const mediaType = document.mediaType ?? manifest.mediaType;
  if (isIndexMediaType(mediaType) || document.manifests) {
    for (const child of document.manifests ?? []) await copyManifest(client, fromRepo, child.digest, toRepo);
  }
  for (const blob of blobDescriptors(document)) await copyBlob(client, fromRepo, blob, toRepo);
  await client.putManifest(toRepo, manifest.digest, mediaType, manifest.body);
  return { digest: manifest.digest, mediaType, size: manifest.body.length };
}

/** Mount first; stream through this process only when the registry cannot link the blob itself. */
export async function copyBlob(client: RegistryClient, fromRepo: string, blob: Descriptor, toRepo: string): Promise<void> {
  if (fromRepo === toRepo || (await client.hasBlob(toRepo, blob.digest))) return;
  if (await client.mountBlob(toRepo, blob.digest, fromRepo)) return;
  const content = await client.getBlob(fromRepo, blob.digest, blob.size);
  await client.uploadBlob(toRepo, content, { digest: blob.digest, size: blob.size });
}
