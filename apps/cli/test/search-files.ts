import { readdir, readFile, lstat } from 'node:fs/promises';
import { join } from 'node:path';

/** What a search read, so that a search that read nothing can be told from one that found nothing. */
export interface FileSearch {
  found: string[];
  files: number;
  bytes: number;
}

/** Every regular file under `dir` (changed since `since`, when given) whose bytes contain one of `needles`. */
export async function searchFiles(dir: string, needles: string[], since?: Date): Promise<FileSearch> {
  const search: FileSearch = { found: [], files: 0, bytes: 0 };
  const patterns = needles.map((needle) => Buffer.from(needle));
  async function walk(path: string): Promise<void> {
    const info = await lstat(path).catch(() => undefined);
    if (!info) return;
    if (info.isDirectory()) {
      for (const name of await readdir(path).catch(() => [])) await walk(join(path, name));
      return;
    }
    if (!info.isFile()) return;
    if (since && info.mtime < since) return;
    const bytes = await readFile(path).catch(() => undefined);
    if (!bytes) return;
    search.files += 1;
    search.bytes += bytes.length;
    if (patterns.some((pattern) => bytes.includes(pattern))) search.found.push(path);
  }
  await walk(dir);
  return search;
}

/** The files under `dir` that contain one of `needles` (see searchFiles). */
export async function filesContaining(dir: string, needles: string[], since?: Date): Promise<string[]> {
  return (await searchFiles(dir, needles, since)).found;
}

/** A value in the forms it could leak in: as is, and base64 (at each of the three alignments). */
export function leakForms(value: string): string[] {
  const forms = [value, Buffer.from(value).toString('base64').replace(/=+$/, '')];
  for (const pad of ['x', 'xy']) {
    const encoded = Buffer.from(pad + value).toString('base64');
    forms.push(encoded.slice(4, encoded.length - 4));
  }
  return forms;
}
