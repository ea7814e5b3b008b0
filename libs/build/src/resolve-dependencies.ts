import { CnabValidationError, isSensitiveOutput, validateBundle } from '@lading/cnab';
import { applyResolvedDependencies, type Manifest, type ResolvedDependency } from '@lading/manifest';
import { OciError, parseReference, pullBundle, type RegistryClient } from '@lading/oci';
import { BuildRefusedError } from './types.js';

type RegistryFor = (host: string, what: string) => RegistryClient;

/** Reads one required bundle from its registry and pins it to the digest of its index. */
async function resolveOne(text: string, what: string, registryFor: RegistryFor): Promise<ResolvedDependency> {
  try {
    const reference = parseReference(text);
    const client = registryFor(reference.registry, what);
    const pulled = await pullBundle(client, reference.repository, reference.digest ?? reference.tag ?? 'latest');
    const bundle = validateBundle(pulled.bundle);
    return {
      reference: `${reference.registry}/${reference.repository}@${pulled.indexDigest}`,
      name: bundle.name,
      version: bundle.version,
      ...(bundle.description === undefined ? {} : { description: bundle.description }),
      outputs: Object.fromEntries(Object.keys(bundle.outputs ?? {}).map((name) => [name, { sensitive: isSensitiveOutput(bundle, name) }])),
      parameters: Object.keys(bundle.parameters ?? {}),
    };
  } catch (error) {
    if (error instanceof CnabValidationError) {
      throw new BuildRefusedError(`${what} ${text} is not a valid CNAB bundle (${error.message.replace(/\.$/, '')}): publish it with lading or Porter`, 'unresolvable');
    }
    if (error instanceof OciError) {
      throw new BuildRefusedError(`${what} ${text} could not be read (${error.message.replace(/\.$/, '')}): publish it first, or fix the reference`, 'unresolvable');
    }
    throw error;
  }
}

/**
 * Pins every required bundle of the manifest to a digest, as the images are: the parent's
 * bundle.json names them by digest, so what it was built against is what its installs run.
 * A required bundle that is missing, or that lacks an output the steps read, stops the build.
 */
export async function resolveDependencies(manifest: Manifest, registryFor: RegistryFor, log: (line: string) => void): Promise<Manifest> {
  const dependencies = manifest.dependencies ?? [];
  if (dependencies.length === 0) return manifest;
  const resolved: Record<string, ResolvedDependency> = {};
  for (const dependency of dependencies) {
    const what = `dependencies.requires ${dependency.name}`;
    resolved[dependency.name] = await resolveOne(dependency.reference, what, registryFor);
    log(`${what} ${dependency.reference} → ${resolved[dependency.name]?.reference}`);
  }
  const applied = applyResolvedDependencies(manifest, resolved);
  if (Array.isArray(applied)) throw new BuildRefusedError(`${applied.join('; ')}: fix the manifest or the required bundle`, 'invalid_request');
  return applied;
}
