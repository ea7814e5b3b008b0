import { bundleLocation, bundleReadFailure } from './bundle-source.js';
import { UserError } from './user-error.js';

/**
 * Pins a bundle reference to its digest with one manifest HEAD through the front door; bundle.json
 * itself is read by the broker, by that digest, when it admits the run.
 */
export async function pinBundle(text: string): Promise<string> {
  const { client, registry, repository, wanted } = bundleLocation(text);
  const head = await client.headManifest(repository, wanted).catch((error: unknown) => bundleReadFailure(text, error));
  if (!head) throw new UserError(`there is no bundle ${text} in the registry: publish it with \`lading publish\``);
  return `${registry}/${repository}@${head.digest}`;
}
