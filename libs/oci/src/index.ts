// Talking to OCI registries and moving CNAB bundles through them: references, the registry client
// and its allow-list, pushing, copying and relocating images, the CNAB index, bundle archives,
// OCI layouts, and cosign-style signatures. The parts its tests drive one by one are in
// ./internal.ts (`@lading/oci/internal`).
export { OciError } from './errors.js';
export { parseReference, isDigest, isRegistryHost, isRepository, isTag } from './reference.js';
export { AllowedRegistries } from './allowed-registries.js';
export { RegistryClient } from './registry-client.js';
export { sha256Digest } from './digest.js';
export { canonicalJson } from './canonical-json.js';
export { pushDockerArchive } from './docker-archive.js';
export { copyImage } from './copy-image.js';
export { prepareBundleIndex, pullBundle, readBundleDocuments } from './cnab-bundle.js';
export { KnownBundles } from './known-bundles.js';
export { mapBounded } from './map-bounded.js';
export { indexedInvocationImage } from './invocation-image.js';
export { importOciLayout } from './oci-layout.js';
export { relocatedImages, type RelocatableBundle } from './relocation-mapping.js';
export { presentRelocationMapping } from './relocated-images-present.js';
export { writeImageLayout, type WrittenImageLayout } from './image-layout-writer.js';
export type { ImageReference, RegistryCredentials, ManifestHead, PulledBundle } from './types.js';
export { forceHeader, tagOutcomeHeader } from './guard-headers.js';
export { writeBundleArchive } from './bundle-archive-write.js';
export { publishBundleArchive } from './bundle-archive-publish.js';
export { unguardedTagWarning, type TagWritten } from './tag-overwrite.js';
export { archiveCompressions, type ArchiveCompression } from './archive-format.js';
export { copyBundle } from './copy-bundle.js';
export { generateSigningKeys, readSigningKey, readVerificationKey } from './signatures/cosign-key.js';
export { signatureTag } from './signatures/simple-signing.js';
export { signBundle, verifyBundle } from './signatures/signed-bundle.js';
