import { randomBytes } from 'node:crypto';
import { open as openFile, readFile, stat } from 'node:fs/promises';
import { KeyFileError } from './errors.js';

export const AT_REST_KEY_BYTES = 32;

/**
 * Writes a new random 32-byte key (base64, one line) with mode 0600. Refuses to replace an
 * existing file: overwriting a key would make every record encrypted with it unreadable.
 */
export async function createKeyFile(path: string): Promise<void> {
  let handle;
  try {
    handle = await openFile(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new KeyFileError(`Key file ${path} already exists: remove it first only if no record uses it`);
    }
    throw new KeyFileError(`Cannot create key file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`);
  }
  try {
    // The umask cannot widen 0600, but chmod makes the intent independent of it.
    await handle.chmod(0o600);
    await handle.writeFile(`${randomBytes(AT_REST_KEY_BYTES).toString('base64')}\n`);
  } finally {
    await handle.close();
  }
}

/**
 * Refuses a key file that group or others could read, given the mode from its stat. The one
 * place this check lives: every key file (at-rest keys, the broker's sealing key) goes through it.
 */
export function refuseSharedKeyFile(path: string, statMode: number): void {
  const mode = statMode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KeyFileError(
      `Key file ${path} is readable by group or others (mode ${mode.toString(8).padStart(4, '0')}): run chmod 600 ${path}`,
    );
  }
}

/** Reads a key file, refusing one that group or others could read. */
export async function readKeyFile(path: string): Promise<Buffer> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new KeyFileError(`Cannot read key file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`);
  }
  if (!info.isFile()) throw new KeyFileError(`Key file ${path} is not a regular file`);
  refuseSharedKeyFile(path, info.mode);
  const text = (await readFile(path, 'utf8')).trim();
  const key = Buffer.from(text, 'base64');
  if (key.length !== AT_REST_KEY_BYTES || key.toString('base64') !== text) {
    throw new KeyFileError(`Key file ${path} does not hold a base64 32-byte key: create one with createKeyFile`);
  }
  return key;
}
