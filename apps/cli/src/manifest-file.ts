import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { manifestFileNames, MANIFEST_FILE_NAME, PORTER_MANIFEST_FILE_NAME } from '@lading/manifest';
import { UserError } from './user-error.js';

/** The manifest of a bundle directory as the builder picks it: lading.yaml, else porter.yaml. */
export async function readManifestFile(dir: string): Promise<{ file: string; text: string }> {
  for (const name of manifestFileNames) {
    const file = join(dir, name);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) return { file, text };
  }
  throw new UserError(`no ${MANIFEST_FILE_NAME} or ${PORTER_MANIFEST_FILE_NAME} in ${dir}: pass the bundle directory with --dir, or create one with \`lading create\``);
}
