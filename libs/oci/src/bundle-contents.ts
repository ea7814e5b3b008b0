import { referencedImageDigests } from './bundle-images.js';
import { blobDescriptors, parseManifestDocument } from './manifest-document.js';
import type { RegistryClient } from './registry-client.js';
import { signatureTag } from './signatures/simple-signing.js';
import { signedParts } from './signatures/signed-bundle.js';
import type { Descriptor } from './types.js';

/** OCI's name for the tag of an entry of an image layout's index.json. */
export const refNameAnnotation = 'org.opencontainers.image.ref.name';

/** Everything a bundle is made of, by digest: the manifests in memory (they are small), the blobs by size. */
export interface BundleContents {
  /**
   * The bundle index first, then images bundle.json references that its index does not list
   * (bundles published before indexes listed them), then the signatures of the bundle and its images.
   */
  readonly roots: Descriptor[];
  readonly manifests: Map<string, Buffer>;
  readonly blobs: Map<string, number>;
}

/**
 * Walks a bundle in a registry: its index, every manifest it lists (config, invocation image,
 * referenced images) and every blob they name, verified by digest as they are read.
 */
export async function bundleContents(client: RegistryClient, repository: string, digest: string): Promise<BundleContents> {
  const contents: BundleContents = { roots: [], manifests: new Map(), blobs: new Map() };
  contents.roots.push(await walk(client, repository, digest, contents));
  for (const image of await referencedImageDigests(client, repository, digest)) {
    if (!contents.manifests.has(image)) contents.roots.push(await walk(client, repository, image, contents));
  }
  // Signatures travel with what they sign: each one an entry of its own, named by its tag.
  const index = parseManifestDocument(contents.manifests.get(digest)!, `${client.registry}/${repository}@${digest}`);
  for (const part of signedParts(index, digest)) {
    const tag = signatureTag(part.digest);
    const head = await client.headManifest(repository, tag);
    if (!head) continue;
    const signature = await walk(client, repository, head.digest, contents);
    contents.roots.push({ ...signature, annotations: { [refNameAnnotation]: tag } });
  }
  return contents;
}

async function walk(client: RegistryClient, repository: string, digest: string, contents: BundleContents): Promise<Descriptor> {
  const manifest = await client.getManifest(repository, digest);
  const document = parseManifestDocument(manifest.body, `${client.registry}/${repository}@${digest}`);
  contents.manifests.set(manifest.digest, manifest.body);
  for (const child of document.manifests ?? []) if (!contents.manifests.has(child.digest)) await walk(client, repository, child.digest, contents);
  for (const blob of blobDescriptors(document)) contents.blobs.set(blob.digest, blob.size);
  return { mediaType: document.mediaType ?? manifest.mediaType, digest: manifest.digest, size: manifest.body.length };
}
