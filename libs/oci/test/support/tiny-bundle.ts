import { copyImage, prepareBundleIndex, pullBundle, sha256Digest, type RegistryClient } from '../../src/index.js';
import { pushTinyImage } from './tiny-image.js';

type PushedImage = { digest: string; mediaType: string; size: number };

/**
 * Publishes a bundle as `lading publish` lays it out — `invocation` in bundles/app and `tool`
 * (pushed to library/tool) copied into bundles/app and listed in the index — tagged v1; returns
 * the index digest.
 */
export async function publishBundleOf(client: RegistryClient, invocation: PushedImage, tool: PushedImage): Promise<string> {
  const copied = await copyImage(client, { fromRepo: 'library/tool', digest: tool.digest }, 'bundles/app');
  const bundle = {
    schemaVersion: 'v1.2.0',
    name: 'app',
    version: '1.0.0',
    invocationImages: [{ imageType: 'docker', image: `${client.registry}/bundles/app@${invocation.digest}`, contentDigest: invocation.digest }],
    images: { tool: { imageType: 'docker', image: `${client.registry}/library/tool@${tool.digest}` } },
  };
  const index = await prepareBundleIndex(client, 'bundles/app', bundle, invocation, { components: { tool: copied } });
  await client.putManifest('bundles/app', 'v1', index.mediaType, index.body);
  return index.digest;
}

/** publishBundleOf two tiny images; returns its digest, its images and every blob it is made of, sorted. */
export async function publishTinyBundle(client: RegistryClient) {
  const invocation = await pushTinyImage(client, 'bundles/app', 'invocation');
  const tool = await pushTinyImage(client, 'library/tool', 'tool');
  const digest = await publishBundleOf(client, invocation, tool);
  const { configManifest } = await pullBundle(client, 'bundles/app', digest);
  const config = JSON.parse((await client.getManifest('bundles/app', configManifest.digest)).body.toString()) as { config: { digest: string } };
  const blobs = [config.config.digest, ...[invocation, tool].flatMap((image) => [sha256Digest(image.config), sha256Digest(image.layer)])].sort();
  return { digest, invocation, tool, blobs };
}
