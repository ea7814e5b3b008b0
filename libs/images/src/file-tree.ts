import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';

/** One entry of an image layer. Owners are always root unless `owner` says otherwise. */
export type TreeEntry =
  | { type: 'file'; mode: number; content: Buffer; owner?: number; capability?: string }
  | { type: 'directory'; mode: number; owner?: number }
  | { type: 'symlink'; target: string };

/**
 * A root file system held in memory, keyed by path without a leading slash. It is written as a
 * tar whose bytes depend only on the paths and contents: entries sorted, every mtime 0, owners
 * numeric and fixed, no user or group names, and setuid/setgid bits never kept.
 */
export class FileTree {
  private readonly entries = new Map<string, TreeEntry>();

  set(path: string, entry: TreeEntry): void {
    const name = normalize(path);
    if (name === '') return;
    this.ensureParents(name);
    this.entries.set(name, entry);
  }

  get(path: string): TreeEntry | undefined {
    return this.entries.get(normalize(path));
  }

  has(path: string): boolean {
    return this.entries.has(normalize(path));
  }

  delete(path: string): void {
    this.entries.delete(normalize(path));
  }

  /** Paths in the order they are written. */
  paths(): string[] {
    return [...this.entries.keys()].sort();
  }

  async writeTar(file: string): Promise<void> {
    await mkdir(dirname(file), { recursive: true });
    const pack = tar.pack();
    const partial = `${file}.${process.pid}.partial`;
    const written = pipeline(pack, createWriteStream(partial));
    for (const name of this.paths()) {
      const entry = this.entries.get(name)!;
      const base = { name, uid: 0, gid: 0, mtime: new Date(0) };
      if (entry.type === 'file') {
        const owner = entry.owner ?? 0;
        // File capabilities travel as the xattr Docker restores when it unpacks the layer.
        const pax = entry.capability ? { 'SCHILY.xattr.security.capability': entry.capability } : undefined;
        pack.entry({ ...base, uid: owner, gid: owner, mode: entry.mode & 0o1777, type: 'file', pax } as tar.Header, entry.content);
      } else if (entry.type === 'directory') {
        const owner = entry.owner ?? 0;
        pack.entry({ ...base, name: `${name}/`, uid: owner, gid: owner, mode: entry.mode & 0o1777, type: 'directory' });
      } else {
        pack.entry({ ...base, mode: 0o777, type: 'symlink', linkname: entry.target });
      }
    }
    pack.finalize();
    await written;
    await rename(partial, file);
  }

  private ensureParents(name: string): void {
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (!this.entries.has(parent)) this.entries.set(parent, { type: 'directory', mode: 0o755 });
    }
  }
}

function normalize(path: string): string {
  return path.replace(/^\.?\/+/, '').replace(/\/+$/, '');
}
