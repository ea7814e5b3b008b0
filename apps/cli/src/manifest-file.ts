import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ManifestError, manifestFileNames, MANIFEST_FILE_NAME, parseManifest, PORTER_MANIFEST_FILE_NAME } from '@lading/manifest';
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

/**
 * The Dockerfile template the bundle directory's manifest names, sent to the builder even when
 * .dockerignore leaves it out of the image (Porter reads it from the directory, not the image).
 * A manifest that does not parse names none here: the builder lists its problems.
 */
export async function dockerfileTemplateOf(dir: string): Promise<string[]> {
  const { file, text } = await readManifestFile(dir);
  try {
    const { dockerfile } = parseManifest(text, basename(file));
    return dockerfile === undefined ? [] : [dockerfile];
  } catch (error) {
    if (error instanceof ManifestError) return [];
    throw error;
  }
}
