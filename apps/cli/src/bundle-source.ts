import { appliesToText, CnabValidationError, requiredBundles, validateBundle, type Bundle } from '@lading/cnab';
import { OciError, parseReference, pullBundle, RegistryClient } from '@lading/oci';
import type { Row } from './output.js';
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

/** Rows describing a bundle's images and its credentials, parameters, outputs and actions. */
export function describeBundle(bundle: Bundle) {
  const definitions = bundle.definitions ?? {};
  const images: Row[] = [];
  for (const image of bundle.invocationImages) {
    images.push({ kind: 'invocation', name: '', image: image.image, digest: image.contentDigest ?? '' });
  }
  for (const [name, image] of Object.entries(bundle.images ?? {})) {
    images.push({ kind: 'image', name, image: image.image, digest: image.contentDigest ?? '' });
  }
  const delivery = (target: { env?: string; path?: string } | undefined) =>
    [target?.env ? `env ${target.env}` : '', target?.path ? `file ${target.path}` : ''].filter(Boolean).join(', ');
  const entries: Row[] = [];
  for (const [name, credential] of Object.entries(bundle.credentials ?? {})) {
    entries.push({ kind: 'credential', name, type: '', required: credential.required === true, sensitive: true, applyTo: appliesToText(credential.applyTo), delivery: delivery(credential) });
  }
  for (const [name, parameter] of Object.entries(bundle.parameters ?? {})) {
    const definition = definitions[parameter.definition] ?? {};
    entries.push({
      kind: 'parameter',
      name,
      type: String(definition.type ?? ''),
      required: parameter.required === true,
      sensitive: definition.writeOnly === true,
      applyTo: appliesToText(parameter.applyTo),
      delivery: delivery(parameter.destination),
    });
  }
  for (const [name, output] of Object.entries(bundle.outputs ?? {})) {
    const definition = definitions[output.definition] ?? {};
    entries.push({ kind: 'output', name, type: String(definition.type ?? ''), required: '', sensitive: definition.writeOnly === true, applyTo: appliesToText(output.applyTo), delivery: '' });
  }
  // Each required bundle runs first, as installation <installation>-<alias>.
  for (const required of requiredBundles(bundle)) {
    entries.push({ kind: 'dependency', name: required.alias, type: '', required: true, sensitive: '', applyTo: 'all', delivery: `installed first as <installation>-${required.alias}: ${required.bundle}` });
  }
  for (const action of ['install', 'upgrade', 'uninstall', ...Object.keys(bundle.actions ?? {})]) {
    entries.push({ kind: 'action', name: action, type: '', required: '', sensitive: '', applyTo: '', delivery: '' });
  }
  return { name: bundle.name, version: bundle.version, description: bundle.description, images, entries };
}
