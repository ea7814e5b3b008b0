import { pullBundle } from './cnab-bundle.js';
import { CnabAnnotations } from './media-types.js';
import { parseManifestDocument } from './manifest-document.js';
import { isDigest, parseReference } from './reference.js';
import type { RegistryClient } from './registry-client.js';

/**
 * The digests of the images a CNAB bundle references in bundle.json's `images`, when `digest`
 * names a CNAB-in-OCI index (publishing brought them into the bundle's repository); none for any
 * other manifest. The CNAB index itself names only the config and the invocation image.
 */
export async function referencedImageDigests(client: RegistryClient, repository: string, digest: string): Promise<string[]> {
  const index = await client.getManifest(repository, digest);
  const document = parseManifestDocument(index.body, `${client.registry}/${repository}@${digest}`);
  const isBundle = document.manifests?.some((entry) => entry.annotations?.[CnabAnnotations.manifestType] === 'config') ?? false;
  if (!isBundle) return [];
  const { bundle } = await pullBundle(client, repository, digest);
  const images = typeof bundle.images === 'object' && bundle.images !== null ? Object.values(bundle.images as Record<string, { image?: unknown }>) : [];
  const digests = images.map((image) => (typeof image?.image === 'string' ? parseReference(image.image).digest : undefined));
  return [...new Set(digests.filter((found): found is string => found !== undefined && isDigest(found)))];
}
