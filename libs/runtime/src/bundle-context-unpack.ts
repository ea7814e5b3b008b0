import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { normalizeFileMode, safeRelativePath } from './bundle-path.js';
import { RuntimeError } from './errors.js';
import type { BundleFile, UnpackBundleContextOptions } from './types.js';

/**
 * Reads an uploaded bundle archive into memory, refusing anything that could write outside the
 * build context or exhaust the builder: traversal, absolute paths, links, special files,
 * duplicate entries and archives over the size or entry limits.
 */
export async function unpackBundleContext(
  archive: Buffer | NodeJS.ReadableStream,
  options: UnpackBundleContextOptions,
): Promise<BundleFile[]> {
  const source = Buffer.isBuffer(archive) ? Readable.from([archive]) : archive;
  const extract = tar.extract();
  const files: BundleFile[] = [];
  const seen = new Set<string>();
  const directories = new Set<string>();
  let total = 0;
  let entries = 0;

  source.on('error', (error: Error) => extract.destroy(error));
  source.pipe(extract);
  try {
    for await (const entry of extract) {
      const { header } = entry;
      entries += 1;
      if (entries > options.maxEntries) {
        throw new RuntimeError('bundle-context-too-large', `Bundle archive has more than the ${options.maxEntries}-entry limit: remove files from the bundle directory.`);
      }
      const path = safeRelativePath(header.name);
      if (seen.has(path)) {
        throw new RuntimeError('invalid-bundle-context', `Bundle archive holds ${path} more than once: rebuild the archive with \`lading build\`.`);
      }
      seen.add(path);
      if (header.type === 'directory') {
        directories.add(path);
        entry.resume();
        continue;
      }
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        const kind = header.type === 'symlink' || header.type === 'link' ? 'a link' : `a ${header.type ?? 'special'} entry`;
        throw new RuntimeError('invalid-bundle-context', `Bundle archive entry ${path} is ${kind}; only regular files are accepted: replace it with the file itself.`);
      }
      total += header.size ?? 0;
      if (total > options.maxBytes) {
        throw new RuntimeError('bundle-context-too-large', `Bundle archive is larger than the ${options.maxBytes}-byte limit: remove large files from the bundle directory.`);
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      files.push({ path, mode: normalizeFileMode(header.mode), content: Buffer.concat(chunks) });
    }
  } catch (error) {
    extract.destroy();
    if (error instanceof RuntimeError) throw error;
    throw new RuntimeError('invalid-bundle-context', `Bundle archive is not a readable tar archive (${(error as Error).message}): rebuild it with \`lading build\`.`, { cause: error });
  }
  refuseFileDirectoryClashes(files, directories);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** `a` as a file and `a/b` as another file cannot both exist in the build context. */
function refuseFileDirectoryClashes(files: readonly BundleFile[], directories: ReadonlySet<string>): void {
  const filePaths = new Set(files.map((file) => file.path));
  for (const file of files) {
    if (directories.has(file.path)) {
      throw new RuntimeError('invalid-bundle-context', `Bundle archive holds ${file.path} both as a file and as a directory: rebuild the archive with \`lading build\`.`);
    }
    const segments = file.path.split('/');
    for (let i = 1; i < segments.length; i += 1) {
      const parent = segments.slice(0, i).join('/');
      if (filePaths.has(parent)) {
        throw new RuntimeError('invalid-bundle-context', `Bundle archive holds ${parent} both as a file and as a directory: rebuild the archive with \`lading build\`.`);
      }
    }
  }
}
