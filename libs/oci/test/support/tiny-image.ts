import { MediaTypes, sha256Digest, type RegistryClient } from '../../src/internal.js';

/** Pushes a minimal OCI image (one small layer) by digest; good enough wherever nothing runs it. */
export async function pushTinyImage(client: RegistryClient, repository: string, marker: string) {
  const layer = Buffer.from(`layer ${marker}`);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256Digest(layer)] } }));
  await client.uploadBlob(repository, layer);
  await client.uploadBlob(repository, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaTypes.ociManifest,
      config: { mediaType: MediaTypes.ociConfig, digest: sha256Digest(config), size: config.length },
      layers: [{ mediaType: MediaTypes.ociLayerTar, digest: sha256Digest(layer), size: layer.length }],
    }),
  );
  const digest = await client.putManifest(repository, sha256Digest(manifest), MediaTypes.ociManifest, manifest);
  return { digest, size: manifest.length, mediaType: MediaTypes.ociManifest, manifest, layer, config };
}
