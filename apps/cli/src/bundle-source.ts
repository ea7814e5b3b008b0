import { appliesToText, requiredBundles, type Bundle } from '@lading/cnab';
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

/** Turns a registry's refusal into one sentence naming the bundle. */
export function bundleReadFailure(text: string, error: unknown): never {
  if (error instanceof OciError) throw new UserError(`cannot read bundle ${text}: ${error.message}`);
  throw error;
}

/** Reads the bundle.json a reference names, for `lading explain` and the commands that show a bundle. */
async function readBundle(text: string): Promise<Record<string, unknown>> {
  const { client, repository, wanted } = bundleLocation(text);
  try {
    return (await pullBundle(client, repository, wanted)).bundle;
  } catch (error) {
    return bundleReadFailure(text, error);
  }
}

export async function fetchBundle(ref: string | undefined, dir: string | undefined): Promise<Record<string, unknown>> {
  if (ref && dir) throw new UserError('give a reference or --dir, not both');
  if (dir) return (await readBuiltBundle(dir)).bundle;
  if (!ref) throw new UserError('give a bundle reference or --dir DIR');
  return readBundle(ref);
}

type Entry = Record<string, unknown>;
const entriesOf = (value: unknown) => Object.entries((value ?? {}) as Record<string, Entry>);

/** Rows describing a bundle's images and its credentials, parameters, outputs and actions. */
export function describeBundle(bundle: Record<string, unknown>) {
  const definitions = (bundle.definitions ?? {}) as Record<string, Entry>;
  const images: Row[] = [];
  for (const image of (bundle.invocationImages ?? []) as Entry[]) {
    images.push({ kind: 'invocation', name: '', image: String(image.image), digest: String(image.contentDigest ?? '') });
  }
  for (const [name, image] of entriesOf(bundle.images)) {
    images.push({ kind: 'image', name, image: String(image.image), digest: String(image.contentDigest ?? '') });
  }
  const delivery = (target: Entry | undefined) =>
    [target?.env ? `env ${String(target.env)}` : '', target?.path ? `file ${String(target.path)}` : ''].filter(Boolean).join(', ');
  const applyTo = (entry: Entry) => appliesToText(entry.applyTo as string[] | undefined);
  const entries: Row[] = [];
  for (const [name, credential] of entriesOf(bundle.credentials)) {
    entries.push({ kind: 'credential', name, type: '', required: credential.required === true, sensitive: true, applyTo: applyTo(credential), delivery: delivery(credential) });
  }
  for (const [name, parameter] of entriesOf(bundle.parameters)) {
    const definition = definitions[String(parameter.definition)] ?? {};
    entries.push({
      kind: 'parameter',
      name,
      type: String(definition.type ?? ''),
      required: parameter.required === true,
      sensitive: definition.writeOnly === true,
      applyTo: applyTo(parameter),
      delivery: delivery(parameter.destination as Entry | undefined),
    });
  }
  for (const [name, output] of entriesOf(bundle.outputs)) {
    const definition = definitions[String(output.definition)] ?? {};
    entries.push({ kind: 'output', name, type: String(definition.type ?? ''), required: '', sensitive: definition.writeOnly === true, applyTo: applyTo(output), delivery: '' });
  }
  // Each required bundle runs first, as installation <installation>-<alias>.
  for (const required of requiredBundles(bundle as unknown as Bundle)) {
    entries.push({ kind: 'dependency', name: required.alias, type: '', required: true, sensitive: '', applyTo: 'all', delivery: `installed first as <installation>-${required.alias}: ${required.bundle}` });
  }
  for (const action of ['install', 'upgrade', 'uninstall', ...Object.keys((bundle.actions ?? {}) as Entry)]) {
    entries.push({ kind: 'action', name: action, type: '', required: '', sensitive: '', applyTo: '', delivery: '' });
  }
  return { name: bundle.name, version: bundle.version, description: bundle.description, images, entries };
}
