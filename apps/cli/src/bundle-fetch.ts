import { CnabValidationError, validateBundle, type Bundle } from '@lading/cnab';
import { pullBundle } from '@lading/oci';
import { readBuiltBundle } from './bundle-dir.js';
import { bundleLocation, bundleReadFailure } from './bundle-source.js';
import { UserError } from './user-error.js';

// Apart from bundle-source.ts: validating a whole bundle.json loads the JSON Schema validator,
// which the commands that only pin a bundle (install, say) do without.

/** A bundle.json read from the registry under `text`, validated whole; a refusal says which bundle. */
export function validatedBundle(text: string, raw: unknown): Bundle {
  try {
    return validateBundle(raw);
  } catch (error) {
    if (error instanceof CnabValidationError) throw new UserError(`cannot read bundle ${text}: ${error.message}`);
    throw error;
  }
}

/** Reads the bundle.json a reference names, for `lading explain` and the commands that show a bundle. */
async function readBundle(text: string): Promise<Bundle> {
  const { client, repository, wanted } = bundleLocation(text);
  const pulled = await pullBundle(client, repository, wanted).catch((error: unknown) => bundleReadFailure(text, error));
  return validatedBundle(text, pulled.bundle);
}

export async function fetchBundle(ref: string | undefined, dir: string | undefined): Promise<Bundle> {
  if (ref && dir) throw new UserError('give a reference or --dir, not both');
  if (dir) return (await readBuiltBundle(dir)).bundle;
  if (!ref) throw new UserError('give a bundle reference or --dir DIR');
  return readBundle(ref);
}
