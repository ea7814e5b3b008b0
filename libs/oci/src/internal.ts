// The OCI library's internal entry (`@lading/oci/internal`): the public face and the parts behind
// it that its tests drive one by one. Production code imports the public face only.
export * from './index.js';
export { formatReference } from './reference.js';
export { MediaTypes, CnabAnnotations } from './media-types.js';
export { parseManifestDocument } from './manifest-document.js';
export { exportOciLayout } from './oci-layout.js';
export { relocatedBundleImage, relocationMapping } from './relocation-mapping.js';
export { signImage, verifyImage } from './signatures/signed-images.js';
