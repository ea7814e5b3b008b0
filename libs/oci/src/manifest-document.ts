import { OciError } from './errors.js';
import { isDigest } from './reference.js';
import type { Descriptor, ManifestDocument } from './types.js';

/** Parses a manifest or index body and checks the descriptors Lading follows are well formed. */
export function parseManifestDocument(body: Buffer, where: string): ManifestDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new OciError(`Manifest ${where} is not valid JSON.`, { reason: 'MANIFEST_INVALID' });
  }
  const document = parsed as ManifestDocument;
  if (typeof document !== 'object' || document === null || document.schemaVersion !== 2) {
    throw new OciError(`Manifest ${where} is not a schemaVersion 2 image manifest or index.`, { reason: 'MANIFEST_INVALID' });
  }
  for (const descriptor of referencedDescriptors(document)) {
    if (!isDigest(descriptor.digest) || !Number.isSafeInteger(descriptor.size) || descriptor.size < 0 || typeof descriptor.mediaType !== 'string') {
      throw new OciError(`Manifest ${where} holds an invalid descriptor (${JSON.stringify(descriptor)}).`, { reason: 'MANIFEST_INVALID' });
    }
  }
  return document;
}

/** Blobs an image manifest needs in the same repository (foreign layers with URLs live elsewhere). */
export function blobDescriptors(document: ManifestDocument): Descriptor[] {
  const blobs = [...(document.config ? [document.config] : []), ...(document.layers ?? [])];
  return blobs.filter((blob) => !blob.urls || blob.urls.length === 0);
}

function referencedDescriptors(document: ManifestDocument): Descriptor[] {
  return [...(document.config ? [document.config] : []), ...(document.layers ?? []), ...(document.manifests ?? [])];
}
