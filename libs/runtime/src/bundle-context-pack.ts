import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import tar from 'tar-stream';
import { normalizeFileMode } from './bundle-path.js';
import { bundleFileFilter, DOCKERIGNORE_FILE, isAlwaysLeftOut } from './dockerignore.js';
import { RuntimeError } from './errors.js';
import type { BundleFile, PackBundleContextOptions } from './types.js';

const fixedMtime = new Date(0);

/**
 * Packs a user's bundle directory into a tar archive for upload to the builder. Symlinks that
 * stay inside the directory are stored as the file they point to (the builder accepts no links);
 * anything that could carry host content out (escaping links, devices, fifos, sockets) is refused.
 */
export async function packBundleContext(dir: string, options: PackBundleContextOptions): Promise<Buffer> {
  const files = await collectBundleFiles(dir, options);
  return tarFiles(files);
}

export async function collectBundleFiles(dir: string, options: PackBundleContextOptions): Promise<BundleFile[]> {
  let root: string;
  try {
    root = await realpath(dir);
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new RuntimeError('invalid-bundle-context', `Bundle directory ${dir} does not exist or is not a directory: pass the directory holding lading.yaml.`);
  }
  // What the image would leave out is not even uploaded; the builder applies the same filter.
  const dockerignore = await readFile(join(root, DOCKERIGNORE_FILE), 'utf8').catch(() => undefined);
  const leftOut = bundleFileFilter(dockerignore);
  const kept = new Set(options.keep ?? []);
  const ignored = (path: string): boolean => leftOut(path) && !(kept.has(path) && !isAlwaysLeftOut(path));
  const files: BundleFile[] = [];
  let total = 0;
  const add = (path: string, mode: number, content: Buffer): void => {
    total += content.length;
    if (total > options.maxBytes) {
      throw new RuntimeError('bundle-context-too-large', `Bundle directory ${dir} is larger than the ${options.maxBytes}-byte limit: remove large files or add them to the image another way.`);
    }
    files.push({ path, mode: normalizeFileMode(mode), content });
  };

  const walk = async (current: string): Promise<void> => {
    const names = (await readdir(current)).sort();
    for (const name of names) {
      const full = join(current, name);
      const shown = relative(root, full).split(sep).join('/');
      const info = await lstat(full);
      if (!info.isDirectory() && ignored(shown)) continue;
      if (info.isDirectory()) {
        if (isAlwaysLeftOut(shown)) continue;
        await walk(full);
      } else if (info.isFile()) {
        add(shown, info.mode, await readFile(full));
      } else if (info.isSymbolicLink()) {
        const target = await resolveInside(root, full, shown);
        const targetInfo = await stat(target);
        if (!targetInfo.isFile()) {
          throw new RuntimeError('invalid-bundle-context', `Bundle file ${shown} is a symlink to something that is not a regular file: replace it with the file itself.`);
        }
        add(shown, targetInfo.mode, await readFile(target));
      } else {
        throw new RuntimeError('invalid-bundle-context', `Bundle file ${shown} is a device, fifo or socket: remove it from the bundle directory.`);
      }
    }
  };
  await walk(root);
  return files;
}

async function resolveInside(root: string, link: string, shown: string): Promise<string> {
  let target: string;
  try {
    target = await realpath(link);
  } catch {
    throw new RuntimeError('invalid-bundle-context', `Bundle file ${shown} is a dangling symlink: remove it or point it at a file inside the bundle directory.`);
  }
  if (target !== root && !target.startsWith(root + sep)) {
    throw new RuntimeError('invalid-bundle-context', `Bundle file ${shown} is a symlink pointing outside the bundle directory: copy the file into the directory instead.`);
  }
  return target;
}

export async function tarFiles(files: readonly BundleFile[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const file of files) {
    pack.entry({ name: file.path, mode: file.mode, mtime: fixedMtime, uid: 0, gid: 0 }, file.content);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
