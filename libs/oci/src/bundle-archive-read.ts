import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { layoutBlobDigest, layoutBlobPath, layoutFile, layoutIndexFile } from './archive-format.js';
import { DigestVerifier } from './digest.js';
import { OciError } from './errors.js';
import { CnabAnnotations } from './media-types.js';
import { blobDescriptors, parseManifestDocument } from './manifest-document.js';
import { refNameAnnotation } from './bundle-contents.js';
import { isDigest } from '@lading/contracts/reference-grammar';
import { isSignatureTag } from './signatures/simple-signing.js';
import type { Descriptor } from './types.js';

const directories = new Set(['blobs/', 'blobs/sha256/']);
const maxMetadataBytes = 4 * 1024 * 1024;

function archiveError(file: string, why: string): OciError {
  return new OciError(`Bundle archive ${file} is unusable: ${why}; nothing was published.`, { reason: 'BAD_ARCHIVE' });
}

/**
 * Unpacks a bundle archive (gzip or plain tar) into `dir` as an OCI layout and proves it whole
 * before anything may leave it: every blob hashes to its name, index.json's first entry is a
 * CNAB bundle index, and every manifest and blob reachable from index.json is present with the
 * size its descriptor gives. Returns index.json's entries, the bundle index first.
 */
export async function readBundleArchive(file: string, dir: string): Promise<Descriptor[]> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const tar = extract();
  let failure: OciError | undefined;
  tar.on('entry', (header, stream, next) => {
    const name = header.name.replace(/^\.\//, '');
    // The first bad entry stops the read; it is reported as is, not as the stream error it causes.
    const done = (error?: unknown) => {
      if (!error) return next();
      failure ??= error instanceof OciError ? error : archiveError(file, (error as Error).message);
      stream.resume();
      queueMicrotask(() => tar.destroy(failure));
    };
    if (header.type === 'directory' && directories.has(name.endsWith('/') ? name : `${name}/`)) {
      stream.resume();
      stream.on('end', () => done());
      return;
    }
    if (header.type !== 'file' || !(layoutBlobDigest(name) !== undefined || name === layoutFile || name === layoutIndexFile)) {
      stream.resume();
      done(archiveError(file, `it holds ${JSON.stringify(header.name)}, which no OCI layout of a bundle has`));
      return;
    }
    if (layoutBlobDigest(name) === undefined && header.size > maxMetadataBytes) {
      done(archiveError(file, `${name} is larger than ${maxMetadataBytes} bytes`));
      return;
    }
    const digest = layoutBlobDigest(name);
    const steps = digest
      ? [stream, new DigestVerifier(digest, header.size, `Blob ${name} of bundle archive ${file}`, {}), createWriteStream(join(dir, name), { flags: 'wx' })]
      : [stream, createWriteStream(join(dir, name), { flags: 'wx' })];
    (pipeline as (...streams: unknown[]) => Promise<void>)(...steps).then(() => done(), done);
  });
  try {
    const head = await open(file).then(async (handle) => {
      try {
        const bytes = Buffer.alloc(2);
        await handle.read(bytes, 0, 2, 0);
        return bytes;
      } finally {
        await handle.close();
      }
    });
    const gzip = head[0] === 0x1f && head[1] === 0x8b;
    await (gzip ? pipeline(createReadStream(file), createGunzip(), tar) : pipeline(createReadStream(file), tar));
    if (failure) throw failure;
  } catch (caught) {
    const error = failure ?? caught;
    if (error instanceof OciError) throw error.reason === 'DIGEST_MISMATCH' ? archiveError(file, error.message.replace(/; the registry served corrupt or substituted data\.$/, '')) : error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw archiveError(file, 'the file does not exist');
    if (code === 'EEXIST') throw archiveError(file, 'it holds the same entry twice');
    throw archiveError(file, `it is truncated or not a tar archive (${(error as Error).message})`);
  }
  return checkLayout(file, dir);
}

async function checkLayout(file: string, dir: string): Promise<Descriptor[]> {
  const index = await readFile(join(dir, layoutIndexFile)).catch(() => undefined);
  if (!index) throw archiveError(file, `it has no ${layoutIndexFile}`);
  if (!(await stat(join(dir, layoutFile)).catch(() => undefined))) throw archiveError(file, `it has no ${layoutFile}`);
  const roots = parseManifestDocument(index, `${file} ${layoutIndexFile}`).manifests ?? [];
  if (roots.length === 0) throw archiveError(file, `its ${layoutIndexFile} names nothing`);
  const seen = new Set<string>();
  const visit = async (descriptor: Descriptor, what: string): Promise<Buffer> => {
    const body = await present(descriptor, what);
    if (seen.has(descriptor.digest)) return body;
    seen.add(descriptor.digest);
    const document = parseManifestDocument(body, `${file} ${descriptor.digest}`);
    for (const child of document.manifests ?? []) await visit(child, `manifest ${child.digest}`);
    for (const blob of blobDescriptors(document)) await present(blob, `blob ${blob.digest}`, false);
    return body;
  };
  const present = async (descriptor: Descriptor, what: string, read = true): Promise<Buffer> => {
    if (!isDigest(descriptor.digest)) throw archiveError(file, `${what} is not named by a sha256 digest`);
    const path = join(dir, layoutBlobPath(descriptor.digest));
    const size = (await stat(path).catch(() => undefined))?.size;
    if (size === undefined) throw archiveError(file, `its index names ${what}, which it does not hold`);
    if (size !== descriptor.size) throw archiveError(file, `${what} has ${size} bytes, not the ${descriptor.size} its descriptor gives`);
    return read ? readFile(path) : Buffer.alloc(0);
  };
  const bundleIndex = parseManifestDocument(await visit(roots[0], `bundle index ${roots[0].digest}`), `${file} bundle index`);
  if (!bundleIndex.manifests?.some((entry) => entry.annotations?.[CnabAnnotations.manifestType] === 'config')) {
    throw archiveError(file, `the first entry of its ${layoutIndexFile} is not a CNAB bundle index`);
  }
  for (const root of roots.slice(1)) {
    const tag = root.annotations?.[refNameAnnotation];
    if (tag !== undefined && !isSignatureTag(tag)) throw archiveError(file, `its ${layoutIndexFile} names tag ${JSON.stringify(tag)}, and a bundle archive carries signature tags only`);
    await visit(root, `image ${root.digest}`);
  }
  return roots.map(({ mediaType, digest, size, annotations }) => ({ mediaType, digest, size, ...(annotations?.[refNameAnnotation] ? { annotations: { [refNameAnnotation]: annotations[refNameAnnotation] } } : {}) }));
}
