import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layoutBlobPath } from './archive-format.js';
import { refNameAnnotation } from './bundle-contents.js';
import { readBundleArchive } from './bundle-archive-read.js';
import { OciError } from './errors.js';
import { importOciLayout } from './oci-layout.js';
import type { RegistryClient } from './registry-client.js';
import { refuseTagOverwrite, type TagWritten } from './tag-overwrite.js';

/**
 * Publishes a bundle archive into `client`'s registry as `repository:tag`: the archive is unpacked
 * and proved whole first (nothing reaches the registry from a truncated or tampered archive),
 * then every manifest and the blobs the registry lacks are pushed by digest — nothing is fetched
 * from anywhere else — and the tag is written, naming the very index digest the archive holds,
 * followed by the signature tags the archive carries (they verify unchanged: digests did not move).
 */
export async function publishBundleArchive(file: string, client: RegistryClient, repository: string, tag: string, force: boolean): Promise<TagWritten> {
  const dir = await mkdtemp(join(tmpdir(), 'lading-archive-'));
  try {
    const [bundleIndex, ...others] = await readBundleArchive(file, dir);
    const where = `${client.registry}/${repository}:${tag}`;
    const signatures = others.flatMap((root) => (root.annotations?.[refNameAnnotation] ? [{ tag: root.annotations[refNameAnnotation], root }] : []));
    // Every tag this publish writes is checked before anything is sent.
    await refuseTagOverwrite(client, repository, tag, bundleIndex.digest, force);
    for (const signature of signatures) await refuseTagOverwrite(client, repository, signature.tag, signature.root.digest, force);
    await importOciLayout(dir, client, repository);
    const body = await readFile(join(dir, layoutBlobPath(bundleIndex.digest)));
    const written = await client.tagManifest(repository, tag, bundleIndex.mediaType, body, force);
    if (written.digest !== bundleIndex.digest) throw new OciError(`${where} was written with digest ${written.digest}, not the archive's ${bundleIndex.digest}.`, { reason: 'DIGEST_MISMATCH' });
    for (const signature of signatures) {
      const signatureBody = await readFile(join(dir, layoutBlobPath(signature.root.digest)));
      await client.tagManifest(repository, signature.tag, signature.root.mediaType, signatureBody, force);
    }
    return {
      digest: bundleIndex.digest,
      reference: `${client.registry}/${repository}@${bundleIndex.digest}`,
      guardOutcome: written.outcome,
      signatures: signatures.map((signature) => signature.tag),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
