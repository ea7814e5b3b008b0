// The service images' internal entry (`@lading/images/internal`): the public face and the parts
// behind it that its tests drive one by one. Production code imports the public face only.
export * from './index.js';
export { DebianPackagesError } from './debian-packages.js';
export { rootfsLayer } from './rootfs-layer.js';
export { sbomPath, sbomDigestLabel } from './service-image.js';
export { serviceApps } from './service-images.js';
