import { canonicalJson, MediaTypes, prepareBundleIndex, sha256Digest, type RegistryClient } from '@lading/oci/internal';

/**
 * Publishes `bundle` as CNAB-in-OCI by digest (no tag) with an empty invocation image, so the
 * broker can read its bundle.json when it admits a run. Nothing here ever runs as a container.
 */
export async function publishTestBundle(registry: RegistryClient, repository: string, bundle: object): Promise<string> {
  const config = Buffer.from('{}');
  const configDigest = sha256Digest(config);
  await registry.uploadBlob(repository, config, { digest: configDigest, size: config.length });
  const manifest = Buffer.from(
    canonicalJson({
      schemaVersion: 2,
      mediaType: MediaTypes.ociManifest,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: [],
    }),
  );
  const imageDigest = await registry.putManifest(repository, sha256Digest(manifest), MediaTypes.ociManifest, manifest);
  const image = `${registry.registry}/${repository}@${imageDigest}`;
  const withImage = { ...bundle, invocationImages: [{ imageType: 'docker', image, contentDigest: imageDigest }] };
  const index = await prepareBundleIndex(registry, repository, withImage, { digest: imageDigest, mediaType: MediaTypes.ociManifest, size: manifest.length });
  await registry.putManifest(repository, index.digest, index.mediaType, index.body);
  return `${registry.registry}/${repository}@${index.digest}`;
}

/** A bundle that takes one required credential, `token`, for every action. */
export function tokenBundle(name: string): Record<string, unknown> {
  return { schemaVersion: '1.2.0', name, version: '0.1.0', credentials: { token: { env: 'TOKEN', required: true } } };
}
