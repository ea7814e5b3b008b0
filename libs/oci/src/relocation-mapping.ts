import { OciError } from './errors.js';
import { formatReference, parseReference } from './reference.js';
import { ownValue, type Bundle } from '@lading/contracts';
import type { ImageReference } from './types.js';

/** What relocation reads of a bundle.json: the images it names. */
export type RelocatableBundle = Pick<Bundle, 'invocationImages' | 'images'>;

/** Where a bundle lives now: the registry and repository its index is read from. */
export interface BundleLocation {
  readonly registry: string;
  readonly repository: string;
}

/** An image a bundle references, as the bundle finds it where it lives now. */
export interface RelocatedImage {
  /** The reference bundle.json was built with. */
  readonly original: string;
  /** `<registry>/<repository>@<digest>`: the copy in the bundle's repository. */
  readonly reference: string;
  /** `<registry>/<repository>` of that copy, what `bundle.images.NAME.repository` renders. */
  readonly repository: string;
  /** What `bundle.images.NAME.digest` renders; the same as the original's. */
  readonly digest: string;
}

/**
 * CNAB's relocation mapping (original reference → relocated reference) is a function of where
 * the bundle is: publishing copies every image the bundle names into the bundle's own repository
 * under the digest it already had, and the CNAB index lists those copies. Storing absolute
 * references inside the index would change its digest with every move — and break every
 * signature made on it — so the mapping is rendered from bundle.json and the bundle's location
 * each time one is needed, here and nowhere else.
 */
export function relocateImage(original: string, location: BundleLocation, what = 'an image'): RelocatedImage {
  let parsed: ImageReference;
  try {
    parsed = parseReference(original);
  } catch (error) {
    throw new OciError(`The bundle's ${what} cannot be relocated: ${(error as Error).message}`, { reason: 'NOT_RELOCATABLE' });
  }
  if (!parsed.digest) {
    throw new OciError(`The bundle's ${what} ${original} is not pinned by digest, so it cannot be relocated; rebuild the bundle.`, { reason: 'NOT_RELOCATABLE' });
  }
  const repository = `${location.registry}/${location.repository}`;
  return { original, reference: formatReference({ ...location, digest: parsed.digest }), repository, digest: parsed.digest };
}

/** Every image a bundle.json names (invocation images first, then `images` by name), relocated to `location`. */
export function relocatedImages(bundle: RelocatableBundle, location: BundleLocation): { invocation: RelocatedImage[]; images: Record<string, RelocatedImage> } {
  const invocation = bundle.invocationImages.map((entry, index) => relocateImage(entry.image, location, `invocationImages[${index}]`));
  const named = Object.entries(bundle.images ?? {});
  const images = Object.fromEntries(named.map(([name, entry]) => [name, relocateImage(entry.image, location, `images.${name}`)]));
  return { invocation, images };
}

/** The image `bundle.images.NAME` stands for where the bundle lives now: what the `repository` and `digest` templates render. */
export function relocatedBundleImage(bundle: RelocatableBundle, name: string, location: BundleLocation): RelocatedImage {
  const image = ownValue(relocatedImages(bundle, location).images, name);
  if (!image) throw new OciError(`The bundle has no image named ${name}.`, { reason: 'NOT_RELOCATABLE' });
  return image;
}

/** The content of `/cnab/app/relocation-mapping.json` (CNAB relocation-mapping schema: original → relocated). */
export function relocationMapping(bundle: RelocatableBundle, location: BundleLocation): Record<string, string> {
  const { invocation, images } = relocatedImages(bundle, location);
  return Object.fromEntries([...invocation, ...Object.values(images)].map((image) => [image.original, image.reference]));
}
