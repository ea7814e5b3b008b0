import { OciError } from './errors.js';
import { formatReference, parseReference } from './reference.js';
import type { ImageReference } from './types.js';

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
export function relocatedImages(bundle: Record<string, unknown>, location: BundleLocation): { invocation: RelocatedImage[]; images: Record<string, RelocatedImage> } {
  const invocation = listOf(bundle.invocationImages).map((entry, index) => relocateImage(imageOf(entry), location, `invocationImages[${index}]`));
  const named = typeof bundle.images === 'object' && bundle.images !== null ? Object.entries(bundle.images as Record<string, unknown>) : [];
  const images = Object.fromEntries(named.map(([name, entry]) => [name, relocateImage(imageOf(entry), location, `images.${name}`)]));
  return { invocation, images };
}

/** The image `bundle.images.NAME` stands for where the bundle lives now: what the `repository` and `digest` templates render. */
export function relocatedBundleImage(bundle: Record<string, unknown>, name: string, location: BundleLocation): RelocatedImage {
  const image = relocatedImages(bundle, location).images[name];
  if (!image) throw new OciError(`The bundle has no image named ${name}.`, { reason: 'NOT_RELOCATABLE' });
  return image;
}

/** The content of `/cnab/app/relocation-mapping.json` (CNAB relocation-mapping schema: original → relocated). */
export function relocationMapping(bundle: Record<string, unknown>, location: BundleLocation): Record<string, string> {
  const { invocation, images } = relocatedImages(bundle, location);
  return Object.fromEntries([...invocation, ...Object.values(images)].map((image) => [image.original, image.reference]));
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function imageOf(entry: unknown): string {
  const image = typeof entry === 'object' && entry !== null ? (entry as { image?: unknown }).image : undefined;
  return typeof image === 'string' ? image : '';
}
