export { OciError, type OciErrorDetails } from './errors.js';
export { parseReference, formatReference, isDigest, isRegistryHost, isRepository, isTag } from './reference.js';
export { AllowedRegistries } from './allowed-registries.js';
export { RegistryClient } from './registry-client.js';
export { sha256Digest } from './digest.js';
export { canonicalJson } from './canonical-json.js';
export { MediaTypes, CnabAnnotations, isIndexMediaType } from './media-types.js';
export { parseManifestDocument } from './manifest-document.js';
export { pushDockerArchive } from './docker-archive.js';
export { copyImage, copyBlob, type ImageSource } from './copy-image.js';
export { prepareBundleIndex, pullBundle } from './cnab-bundle.js';
export { KnownBundles } from './known-bundles.js';
export { indexedInvocationImage } from './invocation-image.js';
export { exportOciLayout, importOciLayout } from './oci-layout.js';
export { relocateImage, relocatedImages, relocatedBundleImage, relocationMapping, type BundleLocation, type RelocatableBundle, type RelocatedImage } from './relocation-mapping.js';
export { presentRelocationMapping } from './relocated-images-present.js';
export { writeImageLayout, type ImageConfigSettings, type ImageLayoutInput, type WrittenImageLayout } from './image-layout-writer.js';
export type {
  ImageReference,
  Descriptor,
  RegistryCredentials,
  RegistryClientOptions,
  ManifestHead,
  FetchedManifest,
  BlobSource,
  BlobUploadOptions,
  UploadedBlob,
  ManifestDocument,
  BundleIndex,
  PulledBundle,
  PrepareBundleOptions,
} from './types.js';
export { forceHeader, tagOutcomeHeader } from './guard-headers.js';
export { writeBundleArchive, type WriteArchiveOptions, type WrittenArchive } from './bundle-archive-write.js';
export { readBundleArchive } from './bundle-archive-read.js';
export { publishBundleArchive } from './bundle-archive-publish.js';
export { refuseTagOverwrite, unguardedTagWarning, type TagWritten } from './tag-overwrite.js';
export { archiveCompressions, type ArchiveCompression } from './archive-format.js';
export { copyBundle, type BundleCopy } from './copy-bundle.js';
export { generateSigningKeys, readSigningKey, readVerificationKey } from './signatures/cosign-key.js';
export { signatureTag, simpleSigningMediaType, signatureAnnotation } from './signatures/simple-signing.js';
export { signImage, verifyImage } from './signatures/signed-images.js';
export { signBundle, verifyBundle } from './signatures/signed-bundle.js';
