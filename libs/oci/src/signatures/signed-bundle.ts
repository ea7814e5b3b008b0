import type { KeyObject } from 'node:crypto';
import { CnabAnnotations } from '../media-types.js';
import { parseManifestDocument } from '../manifest-document.js';
import type { RegistryClient } from '../registry-client.js';
import type { ManifestDocument } from '../types.js';
import { signImage, verifyImage } from './signed-images.js';

/** What a bundle's signature covers: its index, and the invocation and referenced images it lists. */
export function signedParts(index: ManifestDocument, digest: string): Array<{ what: string; digest: string }> {
  const images = (index.manifests ?? []).filter((entry) => ['invocation', 'component'].includes(entry.annotations?.[CnabAnnotations.manifestType] ?? ''));
  return [
    { what: 'bundle', digest },
    ...images.map((entry) => ({ what: entry.annotations?.[CnabAnnotations.componentName] ? `image ${entry.annotations[CnabAnnotations.componentName]}` : 'invocation image', digest: entry.digest })),
  ];
}

async function partsOf(client: RegistryClient, repository: string, digest: string): Promise<Array<{ what: string; digest: string }>> {
  return signedParts(parseManifestDocument((await client.getManifest(repository, digest)).body, `${client.registry}/${repository}@${digest}`), digest);
}

/** Signs a bundle index and each image it lists, by digest; returns what was signed. */
export async function signBundle(client: RegistryClient, repository: string, digest: string, key: KeyObject, force = false): Promise<Array<{ what: string; digest: string; outcome: string }>> {
  const done = [];
  for (const part of await partsOf(client, repository, digest)) done.push({ ...part, outcome: await signImage(client, repository, part.digest, key, force) });
  return done;
}

/** Refuses a bundle unless its index and every image it lists carry a signature `publicKey` verifies. */
export async function verifyBundle(client: RegistryClient, repository: string, digest: string, publicKey: KeyObject): Promise<void> {
  for (const part of await partsOf(client, repository, digest)) await verifyImage(client, repository, part.digest, publicKey, `The ${part.what}`);
}
