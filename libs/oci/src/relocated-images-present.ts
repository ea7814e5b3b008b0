import { OciError } from './errors.js';
import type { RegistryClient } from './registry-client.js';
import { relocationMapping, relocatedImages, type BundleLocation, type RelocatableBundle } from './relocation-mapping.js';

/**
 * The relocation mapping of a bundle read from `client`'s registry, once every image it maps to
 * is known to be there by digest: a run never starts with a mapping that points at nothing.
 */
export async function presentRelocationMapping(client: RegistryClient, bundle: RelocatableBundle, repository: string): Promise<Record<string, string>> {
  const location: BundleLocation = { registry: client.registry, repository };
  const { invocation, images } = relocatedImages(bundle, location);
  const named = [...invocation.map((image, index) => [`invocationImages[${index}]`, image] as const), ...Object.entries(images).map(([name, image]) => [`images.${name}`, image] as const)];
  for (const [what, image] of named) {
    if (!(await client.headManifest(repository, image.digest))) {
      throw new OciError(`The bundle's ${what} ${image.original} is not in ${image.repository} by digest ${image.digest}; publish the bundle again so its images travel with it.`, {
        registry: client.registry,
        repository,
        reason: 'RELOCATED_IMAGE_MISSING',
      });
    }
  }
  return relocationMapping(bundle, location);
}
