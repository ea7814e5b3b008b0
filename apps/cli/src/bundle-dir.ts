import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Bundle } from '@lading/cnab';
import { UserError } from './user-error.js';

/** Where `lading build` leaves its result inside a bundle directory (as Porter's .cnab/). */
export const buildOutputDir = '.lading';

export function bundleJsonPath(dir: string): string {
  return join(resolve(dir), buildOutputDir, 'bundle.json');
}

export interface BuiltBundle {
  bundle: Bundle;
  tag: string;
}

export async function writeBuiltBundle(dir: string, built: BuiltBundle): Promise<string> {
  const path = bundleJsonPath(dir);
  await mkdir(join(resolve(dir), buildOutputDir), { recursive: true });
  await writeFile(path, JSON.stringify(built.bundle, null, 2) + '\n');
  await writeFile(join(resolve(dir), buildOutputDir, 'tag'), built.tag + '\n');
  return path;
}

const notBuilt = (dir: string) => new UserError(`${dir} has no built bundle: run \`lading build --dir ${dir}\` first`);

/**
 * The tag `lading build` gave the bundle of a directory, which a run pins again: read without its
 * bundle.json, which the broker reads by digest, so a run's start-up loads no JSON Schema validator.
 */
export async function readBuiltTag(dir: string): Promise<string> {
  try {
    await readFile(bundleJsonPath(dir), 'utf8');
    return (await readFile(join(resolve(dir), buildOutputDir, 'tag'), 'utf8')).trim();
  } catch {
    throw notBuilt(dir);
  }
}

export async function readBuiltBundle(dir: string): Promise<BuiltBundle> {
  let text: string;
  let tag: string;
  try {
    text = await readFile(bundleJsonPath(dir), 'utf8');
    tag = (await readFile(join(resolve(dir), buildOutputDir, 'tag'), 'utf8')).trim();
  } catch {
    throw notBuilt(dir);
  }
  // Imported here: the validator is most of the CNAB library's start-up time.
  const { CnabValidationError, validateBundle } = await import('@lading/cnab');
  try {
    return { bundle: validateBundle(JSON.parse(text)), tag };
  } catch (error) {
    const reason = error instanceof CnabValidationError ? error.message : 'it is not valid JSON';
    throw new UserError(`${bundleJsonPath(dir)} is not the bundle \`lading build\` wrote (${reason}): run \`lading build --dir ${dir}\` again`);
  }
}
