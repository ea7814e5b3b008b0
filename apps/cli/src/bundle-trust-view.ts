import { relocatedImages, signatureTag, type RelocatableBundle } from '@lading/oci';
import { bundleLocation, bundleReadFailure } from './bundle-source.js';
import type { Row } from './output.js';
import { registryClientFor } from './registry-login.js';

/**
 * Where each image of a bundle is found where the bundle lives now (its relocation mapping), and
 * whether a signature sits beside the bundle and each image. Whether a signature verifies needs a
 * key: `--verify KEYFILE` on a run checks it.
 */
export async function relocationRows(ref: string, bundle: RelocatableBundle): Promise<Row[]> {
  const { registry, repository, wanted } = bundleLocation(ref);
  const client = await registryClientFor(registry);
  const signature = async (digest: string) =>
    (await client.headManifest(repository, signatureTag(digest)).catch((error: unknown) => bundleReadFailure(ref, error))) ? `present (${signatureTag(digest)})` : 'none';
  const head = await client.headManifest(repository, wanted).catch((error: unknown) => bundleReadFailure(ref, error));
  const { invocation, images } = relocatedImages(bundle, { registry, repository });
  const rows: Row[] = [];
  if (head) rows.push({ kind: 'bundle', name: '', original: '', relocated: `${registry}/${repository}@${head.digest}`, signature: await signature(head.digest) });
  for (const image of invocation) rows.push({ kind: 'invocation', name: '', original: image.original, relocated: image.reference, signature: await signature(image.digest) });
  for (const [name, image] of Object.entries(images)) rows.push({ kind: 'image', name, original: image.original, relocated: image.reference, signature: await signature(image.digest) });
  return rows;
}

export const relocationColumns = ['kind', 'name', 'original', 'relocated', 'signature'];
