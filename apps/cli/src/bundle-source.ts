import { CnabValidationError, validateBundle, type Bundle } from '@lading/cnab';
import { OciError, parseReference, pullBundle, RegistryClient } from '@lading/oci';
import { readBuiltBundle } from './bundle-dir.js';
import { UserError } from './user-error.js';

/**
 * A bundle reference the user typed, read by one rule: what it names in which registry, and the
 * client for it. A malformed reference is one sentence.
 */
export function bundleLocation(text: string): { client: RegistryClient; registry: string; repository: string; wanted: string } {
  let reference;
  try {
    reference = parseReference(text);
  } catch (error) {
    throw new UserError((error as Error).message);
  }
  return {
    client: new RegistryClient({ registry: reference.registry }),
    registry: reference.registry,
    repository: reference.repository,
    wanted: reference.digest ?? reference.tag ?? 'latest',
  };
}

/** Turns a registry's refusal, or a bundle.json that is not one, into one sentence naming the bundle. */
export function bundleReadFailure(text: string, error: unknown): never {
  if (error instanceof OciError || error instanceof CnabValidationError) throw new UserError(`cannot read bundle ${text}: ${error.message}`);
  throw error;
}

/** Reads the bundle.json a reference names, for `lading explain` and the commands that show a bundle. */
async function readBundle(text: string): Promise<Bundle> {
  const { client, repository, wanted } = bundleLocation(text);
  try {
    return validateBundle((await pullBundle(client, repository, wanted)).bundle);
  } catch (error) {
    return bundleReadFailure(text, error);
  }
}

export async function fetchBundle(ref: string | undefined, dir: string | undefined): Promise<Bundle> {
  if (ref && dir) throw new UserError('give a reference or --dir, not both');
  if (dir) return (await readBuiltBundle(dir)).bundle;
  if (!ref) throw new UserError('give a bundle reference or --dir DIR');
  return readBundle(ref);
}
