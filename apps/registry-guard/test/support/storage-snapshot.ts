import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Every file under a registry's storage with its size: equal snapshots mean nothing was written. */
export async function storageSnapshot(dir: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(current: string): Promise<void> {
    const names = await readdir(current).catch(() => [] as string[]);
    for (const name of names) {
      const path = join(current, name);
      const info = await stat(path);
      if (info.isDirectory()) await walk(path);
      else found.push(`${path} ${info.size}`);
    }
  }
  await walk(dir);
  return found.sort();
}
