import { referencedImageDigests } from './bundle-images.js';
import { copyImage } from './copy-image.js';
import { parseManifestDocument } from './manifest-document.js';
import type { RegistryClient } from './registry-client.js';
import { signedParts } from './signatures/signed-bundle.js';
import { signatureTag } from './signatures/simple-signing.js';
import { refuseTagOverwrite, type TagWritten } from './tag-overwrite.js';

export interface BundleCopy {
  readonly from: RegistryClient;
  readonly fromRepo: string;
  /** The bundle index digest, pinned before the copy. */
  readonly digest: string;
  readonly to: RegistryClient;
  readonly toRepo: string;
  readonly tag: string;
  readonly force: boolean;
}

/**
 * Copies a bundle — its index and everything it lists, and any image bundle.json references that
 * an older index does not list — by digest, then writes the tag. Within one registry blobs are
 * mounted across repositories (none is sent) where the registry allows it; between registries
 * each blob the destination lacks is streamed once. Signatures of the bundle and its images go
 * along under their tags. The tag rule is checked for every tag before anything is copied.
 */
export async function copyBundle(copy: BundleCopy): Promise<TagWritten> {
  const index = await copy.from.getManifest(copy.fromRepo, copy.digest);
  const signatures = [];
  for (const part of signedParts(parseManifestDocument(index.body, `${copy.from.registry}/${copy.fromRepo}@${copy.digest}`), copy.digest)) {
    const head = await copy.from.headManifest(copy.fromRepo, signatureTag(part.digest));
    if (head) signatures.push({ tag: signatureTag(part.digest), digest: head.digest });
  }
  // Every tag this copy writes is checked before anything is copied.
  await refuseTagOverwrite(copy.to, copy.toRepo, copy.tag, copy.digest, copy.force);
  for (const signature of signatures) await refuseTagOverwrite(copy.to, copy.toRepo, signature.tag, signature.digest, copy.force);
  const source = { from: copy.from, fromRepo: copy.fromRepo };
  for (const image of await referencedImageDigests(copy.from, copy.fromRepo, copy.digest)) await copyImage(copy.to, { ...source, digest: image }, copy.toRepo);
  await copyImage(copy.to, { ...source, digest: copy.digest }, copy.toRepo);
  const written = await copy.to.tagManifest(copy.toRepo, copy.tag, index.mediaType, index.body, copy.force);
  for (const signature of signatures) {
    const copied = await copyImage(copy.to, { ...source, digest: signature.digest }, copy.toRepo);
    const body = (await copy.to.getManifest(copy.toRepo, copied.digest)).body;
    await copy.to.tagManifest(copy.toRepo, signature.tag, copied.mediaType, body, copy.force);
  }
  return {
    digest: written.digest,
    reference: `${copy.to.registry}/${copy.toRepo}@${written.digest}`,
    guardOutcome: written.outcome,
    signatures: signatures.map((signature) => signature.tag),
  };
}
