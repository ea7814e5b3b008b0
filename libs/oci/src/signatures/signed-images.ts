import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import { sha256Digest } from '../digest.js';
import { OciError } from '../errors.js';
import { MediaTypes } from '../media-types.js';
import { parseManifestDocument } from '../manifest-document.js';
import type { RegistryClient } from '../registry-client.js';
import type { Descriptor } from '../types.js';
import { signatureAnnotation, signatureTag, signedDigest, simpleSigningMediaType, simpleSigningPayload } from './simple-signing.js';

async function signatureLayers(client: RegistryClient, repository: string, digest: string): Promise<Descriptor[] | undefined> {
  const head = await client.headManifest(repository, signatureTag(digest));
  if (!head) return undefined;
  const manifest = await client.getManifest(repository, signatureTag(digest));
  return [...(parseManifestDocument(manifest.body, `${client.registry}/${repository}:${signatureTag(digest)}`).layers ?? [])];
}

/** True when one of `layers` is a signature of `digest` that `publicKey` verifies. */
async function signedBy(client: RegistryClient, repository: string, digest: string, layers: readonly Descriptor[], publicKey: KeyObject): Promise<boolean> {
  for (const layer of layers) {
    const signature = layer.annotations?.[signatureAnnotation];
    if (layer.mediaType !== simpleSigningMediaType || !signature || layer.size > 64 * 1024) continue;
    const payload = await client.getBlobBuffer(repository, layer.digest);
    if (signedDigest(payload) !== digest) continue;
    if (verify('sha256', payload, { key: publicKey, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'))) return true;
  }
  return false;
}

/**
 * Signs manifest `digest` of `repository` in cosign's format and stores the signature beside it
 * under `sha256-<hex>.sig`. A signature by the same key already there is kept as it is. Adding a
 * signature to another key's replaces that tag, so it takes `force`, as any tag move does.
 */
export async function signImage(client: RegistryClient, repository: string, digest: string, key: KeyObject, force = false): Promise<'signed' | 'already signed'> {
  const existing = await signatureLayers(client, repository, digest);
  if (existing && (await signedBy(client, repository, digest, existing, createPublicKey(key)))) return 'already signed';
  if (existing && !force) {
    throw new OciError(`${client.registry}/${repository}@${digest} already carries signatures by other keys; sign with --force to add this one (the ${signatureTag(digest)} tag is replaced)`, {
      registry: client.registry,
      repository,
      reason: 'TAG_EXISTS',
    });
  }
  const payload = simpleSigningPayload(`${client.registry}/${repository}`, digest);
  const signature = sign('sha256', payload, { key, dsaEncoding: 'der' }).toString('base64');
  const layer: Descriptor = { mediaType: simpleSigningMediaType, digest: sha256Digest(payload), size: payload.length, annotations: { [signatureAnnotation]: signature } };
  const layers = [...(existing ?? []), layer];
  const config = Buffer.from(canonicalJson({ architecture: '', os: '', config: {}, rootfs: { type: 'layers', diff_ids: layers.map((entry) => entry.digest) } }));
  for (const [blob, body] of [[layer.digest, payload], [sha256Digest(config), config]] as const) {
    if (!(await client.hasBlob(repository, blob))) await client.uploadBlob(repository, body, { digest: blob, size: body.length });
  }
  const manifest = Buffer.from(
    canonicalJson({ schemaVersion: 2, mediaType: MediaTypes.ociManifest, config: { mediaType: MediaTypes.ociConfig, digest: sha256Digest(config), size: config.length }, layers }),
  );
  await client.tagManifest(repository, signatureTag(digest), MediaTypes.ociManifest, manifest, existing !== undefined);
  return 'signed';
}

/** Refuses, in one sentence, manifest `digest` unless a signature beside it verifies with `publicKey`. */
export async function verifyImage(client: RegistryClient, repository: string, digest: string, publicKey: KeyObject, what = 'The image'): Promise<void> {
  const layers = await signatureLayers(client, repository, digest);
  const where = `${client.registry}/${repository}@${digest}`;
  if (!layers) throw new OciError(`${what} ${where} is not signed (no ${signatureTag(digest)} beside it).`, { reason: 'NOT_SIGNED' });
  if (!(await signedBy(client, repository, digest, layers, publicKey))) {
    throw new OciError(`${what} ${where} carries no signature that this key verifies.`, { reason: 'NOT_SIGNED' });
  }
}
