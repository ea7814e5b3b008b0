import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack, type Header } from 'tar-stream';
import { archiveEntry, archiveGzipLevel, layoutBlobPath, layoutFile, layoutIndexFile, layoutMarker, type ArchiveCompression } from './archive-format.js';
import { bundleContents } from './bundle-contents.js';
import { canonicalJson } from './canonical-json.js';
import { MediaTypes } from './media-types.js';
import type { RegistryClient } from './registry-client.js';

export interface WriteArchiveOptions {
  readonly compression?: ArchiveCompression;
  /** Called as blob bytes are written: done so far, and the total of every blob. */
  readonly onProgress?: (written: number, total: number) => void;
}

export interface WrittenArchive {
  readonly digest: string;
  readonly blobs: number;
  readonly bytes: number;
}

/**
 * Writes a thick bundle archive: the bundle index, its config, invocation and referenced images
 * with every blob, as an OCI image layout in a tar (see archive-format.ts for why the bytes are
 * reproducible). The archive is written next to `file` and renamed into place only when whole,
 * so an interrupted run leaves no archive that looks complete and can simply be run again.
 */
export async function writeBundleArchive(client: RegistryClient, repository: string, digest: string, file: string, options: WriteArchiveOptions = {}): Promise<WrittenArchive> {
  const contents = await bundleContents(client, repository, digest);
  const index = Buffer.from(canonicalJson({ schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests: contents.roots }));
  const entries = new Map<string, { manifest: Buffer } | { blob: string; size: number }>();
  for (const [name, body] of contents.manifests) entries.set(layoutBlobPath(name), { manifest: body });
  for (const [name, size] of contents.blobs) if (!contents.manifests.has(name)) entries.set(layoutBlobPath(name), { blob: name, size });
  const total = [...contents.blobs.values()].reduce((sum, size) => sum + size, 0);

  const tar = pack();
  const partial = `${file}.partial`;
  const written = options.compression === 'gzip' ? pipeline(tar, createGzip({ level: archiveGzipLevel }), createWriteStream(partial)) : pipeline(tar, createWriteStream(partial));
  const header = (name: string, size: number): Partial<Header> & Pick<Header, 'name'> => ({ name, size, type: 'file', mode: archiveEntry.fileMode, ...owner });
  const owner = { uid: archiveEntry.uid, gid: archiveEntry.gid, uname: archiveEntry.uname, gname: archiveEntry.gname, mtime: archiveEntry.mtime };
  const addBuffer = (name: string, body: Buffer) => new Promise<void>((resolve, reject) => tar.entry(header(name, body.length), body, (error) => (error ? reject(error) : resolve())));
  try {
    const names = [...entries.keys(), layoutFile, layoutIndexFile, 'blobs/', 'blobs/sha256/'].sort();
    let done = 0;
    for (const name of names) {
      if (name.endsWith('/')) {
        tar.entry({ name, type: 'directory', mode: archiveEntry.directoryMode, ...owner });
      } else if (name === layoutFile) {
        await addBuffer(name, Buffer.from(JSON.stringify(layoutMarker)));
      } else if (name === layoutIndexFile) {
        await addBuffer(name, index);
      } else {
        const entry = entries.get(name)!;
        if ('manifest' in entry) {
          await addBuffer(name, entry.manifest);
          continue;
        }
        const sink = tar.entry(header(name, entry.size));
        const source = await client.getBlob(repository, entry.blob, entry.size);
        source.on('data', (chunk: Buffer) => options.onProgress?.((done += chunk.length), total));
        await pipeline(source, sink);
      }
    }
    tar.finalize();
    await written;
    await rename(partial, file);
  } catch (error) {
    tar.destroy();
    await written.catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
  return { digest, blobs: entries.size, bytes: total };
}
