export const MediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerTar: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerTarGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  cnabConfig: 'application/vnd.cnab.config.v1+json',
  cnabManifest: 'application/vnd.cnab.manifest.v1',
} as const;

export const ManifestMediaTypes: readonly string[] = [
  MediaTypes.ociManifest,
  MediaTypes.ociIndex,
  MediaTypes.dockerManifest,
  MediaTypes.dockerManifestList,
];

export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === MediaTypes.ociIndex || mediaType === MediaTypes.dockerManifestList;
}

export const CnabAnnotations = {
  manifestType: 'io.cnab.manifest.type',
  runtimeVersion: 'io.cnab.runtime_version',
  componentName: 'io.cnab.component.name',
  artifactType: 'org.opencontainers.artifactType',
} as const;
