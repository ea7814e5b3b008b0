import { chmod, mkdir, writeFile } from 'node:fs/promises';

/** A directory only the owner can enter (0700), even when it existed with wider rights. */
export async function ensurePrivateDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: 0o700 });
  await chmod(path, 0o700);
}

/** A file only the owner can read (0600); the mode is set before the content is written. */
export async function writePrivateFile(path: string, content: string): Promise<void> {
  await writeFile(path, '', { mode: 0o600 });
  await chmod(path, 0o600);
  await writeFile(path, content);
}
