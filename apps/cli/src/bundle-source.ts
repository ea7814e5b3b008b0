import { OciError, parseReference, RegistryClient } from '@lading/oci';
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

/** Turns a registry's refusal into one sentence naming the bundle. */
export function bundleReadFailure(text: string, error: unknown): never {
  if (error instanceof OciError) throw new UserError(`cannot read bundle ${text}: ${error.message}`);
  throw error;
}
