import { posix } from 'node:path';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { extract, type Header } from 'tar-stream';
import { layoutBlobDigest } from './archive-format.js';
import { OciError } from './errors.js';
import { MediaTypes } from './media-types.js';
import { sha256Digest } from './digest.js';
import type { RegistryClient } from './registry-client.js';
import type { Descriptor, ManifestHead, UploadedBlob } from './types.js';

/** Metadata files (manifest.json, configs) are read into memory; nothing else is. */
const maxBufferedEntry = 16 * 1024 * 1024;
/** Content-addressed entries (Docker 25 archives) above this size are streamed like layers. */
const streamedBlobThreshold = 1024 * 1024;

interface ArchiveManifestEntry {
  Config?: string;
  Layers?: string[];
}

interface ArchiveContent {
  readonly uploaded: Map<string, UploadedBlob>;
  readonly buffered: Map<string, Buffer>;
  readonly links: Map<string, string>;
}

/**
 * Pushes the output of `docker save` (one image) to `repository` BY DIGEST ONLY: layers stream to the
 * registry as they are read (their digest is computed on the way, no temp files), then the config and
 * an OCI image manifest follow. No tag is created.
 */
export async function pushDockerArchive(client: RegistryClient, repository: string, archive: Readable | NodeJS.ReadableStream): Promise<ManifestHead> {
  const fail = (why: string) =>
    new OciError(`The docker archive pushed to ${client.registry}/${repository} is unusable: ${why}.`, {
      registry: client.registry,
      repository,
      reason: 'BAD_ARCHIVE',
    });
  const content = await readArchive(client, repository, archive, fail);
  const manifestText = content.buffered.get('manifest.json');
  if (!manifestText) throw fail('it has no manifest.json (is it the output of docker save?)');
  let entries: ArchiveManifestEntry[];
  try {
    entries = JSON.parse(manifestText.toString('utf8')) as ArchiveManifestEntry[];
  } catch {
    throw fail('its manifest.json is not valid JSON');
  }
  if (!Array.isArray(entries) || entries.length !== 1) throw fail(`it must hold exactly one image, not ${Array.isArray(entries) ? entries.length : 0}`);
  const [image] = entries;
  if (typeof image.Config !== 'string' || !Array.isArray(image.Layers)) throw fail('its manifest.json lacks Config or Layers');

  const config = content.buffered.get(resolveLink(content.links, image.Config));
  if (!config) throw fail(`its config ${image.Config} is missing`);
  const configDigest = sha256Digest(config);
  if (!(await client.hasBlob(repository, configDigest))) await client.uploadBlob(repository, config, { digest: configDigest });

  const layers: Descriptor[] = [];
  for (const layerPath of image.Layers) {
    const layer = await layerBlob(client, repository, content, resolveLink(content.links, layerPath));
    if (!layer) throw fail(`its layer ${layerPath} is missing`);
    layers.push({ mediaType: MediaTypes.ociLayerTar, digest: layer.digest, size: layer.size });
  }
  checkDiffIds(config, layers, fail);

  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaTypes.ociManifest,
      config: { mediaType: MediaTypes.ociConfig, digest: configDigest, size: config.length },
      layers,
    }),
  );
  const digest = await client.putManifest(repository, sha256Digest(manifest), MediaTypes.ociManifest, manifest);
  return { digest, size: manifest.length, mediaType: MediaTypes.ociManifest };
}

async function readArchive(
  client: RegistryClient,
  repository: string,
  archive: Readable | NodeJS.ReadableStream,
  fail: (why: string) => OciError,
): Promise<ArchiveContent> {
  const content: ArchiveContent = { uploaded: new Map(), buffered: new Map(), links: new Map() };
  const entries = extract();
  pipeline(archive as Readable, entries, () => undefined);
  try {
    for await (const entry of entries) {
      const header: Header = entry.header;
      const name = normalize(header.name);
      if (header.type === 'symlink' || header.type === 'link') {
        const target = header.type === 'symlink' ? posix.join(posix.dirname(name), header.linkname ?? '') : normalize(header.linkname ?? '');
        content.links.set(name, target);
        entry.resume();
      } else if (header.type !== 'file') {
        entry.resume();
      } else if (isStreamedLayer(name, header.size ?? 0)) {
        const expected = layoutBlobDigest(name);
        content.uploaded.set(name, await client.uploadBlob(repository, entry.pipe(new PassThrough()), expected ? { digest: expected } : {}));
      } else if ((header.size ?? 0) <= maxBufferedEntry) {
        content.buffered.set(name, await collect(entry));
      } else {
        entry.resume();
      }
    }
  } catch (error) {
    if (error instanceof OciError) throw error;
    throw fail(`it is not a readable tar stream (${error instanceof Error ? error.message : String(error)})`);
  }
  return content;
}

async function layerBlob(client: RegistryClient, repository: string, content: ArchiveContent, path: string): Promise<UploadedBlob | undefined> {
  const uploaded = content.uploaded.get(path);
  if (uploaded) return uploaded;
  const small = content.buffered.get(path);
  if (!small) return undefined;
  const digest = sha256Digest(small);
  if (!(await client.hasBlob(repository, digest))) await client.uploadBlob(repository, small, { digest });
  return { digest, size: small.length };
}

/** Uncompressed layers hash to the config's diff ids; anything else means the archive is inconsistent. */
function checkDiffIds(config: Buffer, layers: Descriptor[], fail: (why: string) => OciError): void {
  let diffIds: unknown;
  try {
    diffIds = (JSON.parse(config.toString('utf8')) as { rootfs?: { diff_ids?: unknown } }).rootfs?.diff_ids;
  } catch {
    throw fail('its image config is not valid JSON');
  }
  if (!Array.isArray(diffIds) || diffIds.length !== layers.length) throw fail('its config lists a different number of layers than manifest.json');
  layers.forEach((layer, position) => {
    if (diffIds[position] !== layer.digest) throw fail(`layer ${position + 1} has digest ${layer.digest} but the config expects ${String(diffIds[position])}`);
  });
}

function isStreamedLayer(name: string, size: number): boolean {
  return name.endsWith('/layer.tar') || name === 'layer.tar' || (name.startsWith('blobs/sha256/') && size > streamedBlobThreshold);
}

function resolveLink(links: Map<string, string>, path: string): string {
  let current = normalize(path);
  for (let hops = 0; hops < 16 && links.has(current); hops++) current = links.get(current) as string;
  return current;
}

function normalize(name: string): string {
  return posix.normalize(name).replace(/^(\.\/)+/, '').replace(/^\/+/, '');
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}
