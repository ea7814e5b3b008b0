import { OciError, parseReference, RegistryClient } from '@lading/oci';
import { UserError } from './user-error.js';

/**
 * Pins a bundle reference to its digest with one manifest HEAD through the front door; bundle.json
 * itself is read by the broker, by that digest, when it admits the run.
 */
export async function pinBundle(text: string): Promise<string> {
  let reference;
  try {
    reference = parseReference(text);
  } catch (error) {
    throw new UserError((error as Error).message);
  }
  const client = new RegistryClient({ registry: reference.registry });
  const wanted = reference.digest ?? reference.tag ?? 'latest';
  let head;
  try {
    head = await client.headManifest(reference.repository, wanted);
  } catch (error) {
    if (error instanceof OciError) throw new UserError(`cannot read bundle ${text}: ${error.message}`);
    throw error;
  }
  if (!head) throw new UserError(`there is no bundle ${text} in the registry: publish it with \`lading publish\``);
  return `${reference.registry}/${reference.repository}@${head.digest}`;
}
