import { OciError } from './errors.js';
import { parseReference } from './reference.js';
import { relocateImage, type BundleLocation } from './relocation-mapping.js';
import type { PulledBundle } from './types.js';

/**
 * The invocation image a bundle runs: the one its CNAB index names, in the bundle's own
 * repository. bundle.json travels inside the index but is written by whoever published it, so it
 * must agree with the index on the image's digest and `contentDigest`. Where bundle.json says the
 * image was built does not matter: the run pulls the relocated copy from where the bundle is, so
 * a bundle moved to another registry never reaches back to the one it came from.
 */
export function indexedInvocationImage(pulled: PulledBundle, location: BundleLocation): string {
  const indexed = pulled.invocationImage.digest;
  const refuse = (why: string) => new OciError(`The bundle ${pulled.indexDigest} is refused: ${why}.`, { reason: 'INVOCATION_IMAGE_MISMATCH' });
  const images = Array.isArray(pulled.bundle.invocationImages) ? (pulled.bundle.invocationImages as { image?: unknown; contentDigest?: unknown }[]) : [];
  const declared = images[0];
  if (typeof declared?.image !== 'string') throw refuse('its bundle.json names no invocation image');
  const reference = parseReference(declared.image);
  if (reference.digest !== indexed) throw refuse(`bundle.json names invocation image ${declared.image} but its index holds ${indexed}`);
  if (declared.contentDigest !== indexed) throw refuse(`bundle.json gives contentDigest ${String(declared.contentDigest)} but its index holds ${indexed}`);
  return relocateImage(declared.image, location, 'invocation image').reference;
}
