import { isRegistryLocation, parseImageReference } from './image-reference.js';
import type { Manifest } from './types.js';
import { CodedError } from '@lading/contracts/errors';

/** Where a build or publish is told to put the bundle instead of where the manifest says (Porter's --registry and --reference). */
export interface DestinationOverride {
  registry?: string;
  reference?: string;
}

/**
 * The manifest with the bundle's destination replaced. `--reference` names the whole tag;
 * `--registry` keeps `<name>:v<version>` under another registry. A wrong value is one sentence.
 */
export function overrideDestination(manifest: Manifest, override: DestinationOverride): Manifest {
  if (override.reference !== undefined) {
    const parsed = parseImageReference(override.reference);
    if (parsed === undefined || parsed.tag === undefined || parsed.digest !== undefined || !parsed.repository.includes('/')) {
      throw new CodedError('invalid_request', `--reference ${override.reference} is not a bundle reference with a tag, such as 127.0.0.1:5000/team/app:v1.0.0`);
    }
    return { ...manifest, registry: parsed.repository.slice(0, parsed.repository.lastIndexOf('/')), reference: override.reference };
  }
  if (override.registry !== undefined) {
    const registry = override.registry.replace(/\/+$/, '');
    if (!isRegistryLocation(registry)) {
      throw new CodedError('invalid_request', `--registry ${override.registry} is not a registry and optional path such as 127.0.0.1:5000/team, in lower case`);
    }
    const { reference: _dropped, ...rest } = manifest;
    return { ...rest, registry };
  }
  return manifest;
}
