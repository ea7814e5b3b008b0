import { OciError } from './errors.js';
import { parseReference } from './reference.js';
import type { PulledBundle } from './types.js';

/**
 * The invocation image a bundle runs: the one its CNAB index names. bundle.json travels inside
 * the index but is written by whoever published it, so it must agree with the index on the
 * image's digest and `contentDigest`, and name the registry the caller pulls through — images
 * of any other registry must have been relocated there at publish. Returns bundle.json's
 * reference once it is known to be exactly the indexed image.
 */
export function indexedInvocationImage(pulled: PulledBundle, frontDoor: string): string {
  const indexed = pulled.invocationImage.digest;
  const refuse = (why: string) => new OciError(`The bundle ${pulled.indexDigest} is refused: ${why}.`, { code: 'INVOCATION_IMAGE_MISMATCH' });
  const images = Array.isArray(pulled.bundle.invocationImages) ? (pulled.bundle.invocationImages as { image?: unknown; contentDigest?: unknown }[]) : [];
  const declared = images[0];
  if (typeof declared?.image !== 'string') throw refuse('its bundle.json names no invocation image');
  const reference = parseReference(declared.image);
  if (reference.digest !== indexed) throw refuse(`bundle.json names invocation image ${declared.image} but its index holds ${indexed}`);
  if (declared.contentDigest !== indexed) throw refuse(`bundle.json gives contentDigest ${String(declared.contentDigest)} but its index holds ${indexed}`);
  if (reference.registry !== frontDoor) {
    throw refuse(`its invocation image is in registry ${reference.registry}, and runs pull only through ${frontDoor}: relocate the image there when publishing`);
  }
  return declared.image;
}
