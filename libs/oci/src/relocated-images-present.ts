import { OciError } from './errors.js';
import { mapBounded } from './map-bounded.js';
import type { RegistryClient } from './registry-client.js';
import { relocationMapping, relocatedImages, type BundleLocation, type RelocatableBundle } from './relocation-mapping.js';

/** HEADs in flight at once while a run checks its images. */
const presenceConcurrency = 8;

/**
 * The relocation mapping of a bundle read from `client`'s registry, once every image it maps to
 * is known to be there by digest: a run never starts with a mapping that points at nothing.
 */
export async function presentRelocationMapping(
  client: RegistryClient,
  bundle: RelocatableBundle,
  repository: string,
  /** Digests the caller has just found in the repository (the invocation image a pull checked): not asked again. */
  confirmed: ReadonlySet<string> = new Set(),
): Promise<Record<string, string>> {
  const location: BundleLocation = { registry: client.registry, repository };
  const { invocation, images } = relocatedImages(bundle, location);
  const named = [...invocation.map((image, index) => [`invocationImages[${index}]`, image] as const), ...Object.entries(images).map(([name, image]) => [`images.${name}`, image] as const)];
  const asked = named.filter(([, image]) => !confirmed.has(image.digest));
  // Several at once, as a build pins them: about one round trip for a bundle's few images. The first missing one, in bundle order, is named.
  const present = await mapBounded(asked, presenceConcurrency, ([, image]) => client.headManifest(repository, image.digest));
  const missing = asked.find((_, index) => !present[index]);
  if (missing) {
    const [what, image] = missing;
    throw new OciError(`The bundle's ${what} ${image.original} is not in ${image.repository} by digest ${image.digest}; publish the bundle again so its images travel with it.`, {
      registry: client.registry,
      repository,
      reason: 'RELOCATED_IMAGE_MISSING',
    });
  }
  return relocationMapping(bundle, location);
}
