import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { layoutBlobPath, layoutFile, layoutIndexFile, layoutMarker } from './archive-format.js';
import { referencedImageDigests } from './bundle-images.js';
import { sha256Digest } from './digest.js';
import { OciError } from './errors.js';
import { MediaTypes } from './media-types.js';
import { blobDescriptors, parseManifestDocument } from './manifest-document.js';
import { isDigest } from './reference.js';
import type { RegistryClient } from './registry-client.js';
import type { Descriptor, ManifestDocument } from './types.js';

function layoutError(dir: string, why: string): OciError {
  return new OciError(`OCI layout ${dir} is unusable: ${why}.`, { reason: 'BAD_LAYOUT' });
}

function blobPath(dir: string, digest: string): string {
  // Digests are validated before they become paths, so no name can climb out of blobs/.
  if (!isDigest(digest)) throw layoutError(dir, `"${digest}" is not a sha256 digest`);
  return join(dir, layoutBlobPath(digest));
}

/**
 * Writes a manifest (image or index, recursively) and all its blobs from the registry into an OCI image
 * layout directory, adding it to the layout's index.json. Blobs are streamed and verified. A CNAB
 * bundle carries the images its bundle.json references too (from the same repository, where
 * publishing put them), each one more entry of index.json, so an import brings them back.
 */
export async function exportOciLayout(client: RegistryClient, repository: string, digest: string, dir: string): Promise<Descriptor> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(dir, layoutFile), JSON.stringify(layoutMarker));
  const root = await exportManifest(client, repository, digest, dir);
  const carried: Descriptor[] = [];
  for (const image of await referencedImageDigests(client, repository, digest)) carried.push(await exportManifest(client, repository, image, dir));
  const written = [root, ...carried];
  const indexFile = join(dir, layoutIndexFile);
  const existing = await readFile(indexFile, 'utf8')
    .then((text) => JSON.parse(text) as ManifestDocument)
    .catch(() => undefined);
  const manifests = (existing?.manifests ?? []).filter((entry) => !written.some((added) => added.digest === entry.digest));
  await writeFile(indexFile, JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests: [...manifests, ...written] }));
  return root;
}

async function exportManifest(client: RegistryClient, repository: string, digest: string, dir: string): Promise<Descriptor> {
  const manifest = await client.getManifest(repository, digest);
  const document = parseManifestDocument(manifest.body, `${repository}@${digest}`);
  for (const child of document.manifests ?? []) await exportManifest(client, repository, child.digest, dir);
  for (const blob of blobDescriptors(document)) {
    const target = blobPath(dir, blob.digest);
    if ((await stat(target).catch(() => undefined))?.size === blob.size) continue;
    const partial = `${target}.partial`;
    try {
      await pipeline(await client.getBlob(repository, blob.digest, blob.size), createWriteStream(partial));
      await rename(partial, target);
    } finally {
      await rm(partial, { force: true });
    }
  }
  await writeFile(blobPath(dir, manifest.digest), manifest.body);
  return { mediaType: document.mediaType ?? manifest.mediaType, digest: manifest.digest, size: manifest.body.length };
}

/**
 * Publishes every manifest named in an OCI layout's index.json (with everything it references) into
 * `repository`, by digest only; nothing is fetched from anywhere else and no tag is written.
 */
export async function importOciLayout(dir: string, client: RegistryClient, repository: string): Promise<Descriptor[]> {
  const index = await readFile(join(dir, layoutIndexFile))
    .then((body) => parseManifestDocument(body, `${dir}/${layoutIndexFile}`))
    .catch((error: unknown) => {
      throw error instanceof OciError ? error : layoutError(dir, 'it has no readable index.json');
    });
  const roots = index.manifests ?? [];
  for (const root of roots) await importManifest(dir, client, repository, root);
  return roots.map(({ mediaType, digest, size }) => ({ mediaType, digest, size }));
}

async function importManifest(dir: string, client: RegistryClient, repository: string, descriptor: Descriptor): Promise<void> {
  const body = await readFile(blobPath(dir, descriptor.digest)).catch(() => {
    throw layoutError(dir, `manifest ${descriptor.digest} is missing`);
  });
  if (sha256Digest(body) !== descriptor.digest) throw layoutError(dir, `manifest ${descriptor.digest} does not match its digest`);
  const document = parseManifestDocument(body, `${dir} ${descriptor.digest}`);
  for (const child of document.manifests ?? []) await importManifest(dir, client, repository, child);
  for (const blob of blobDescriptors(document)) {
    if (await client.hasBlob(repository, blob.digest)) continue;
    const path = blobPath(dir, blob.digest);
    if (!(await stat(path).catch(() => undefined))) throw layoutError(dir, `blob ${blob.digest} is missing`);
    await client.uploadBlob(repository, createReadStream(path), { digest: blob.digest, size: blob.size });
  }
  await client.putManifest(repository, descriptor.digest, document.mediaType ?? descriptor.mediaType, body);
}
