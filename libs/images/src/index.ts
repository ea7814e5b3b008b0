export { FileTree, type TreeEntry } from './file-tree.js';
export { fetchDebianPackages, DebianPackagesError, type DebianPackage } from './debian-packages.js';
export { debianRootfs } from './debian-rootfs.js';
export { rootfsRecipes, type RootfsRecipe } from './rootfs-recipes.js';
export { rootfsLayer, type RootfsLayer, type RootfsLayerOptions } from './rootfs-layer.js';
export { imageCacheDir } from './image-cache.js';
export { cycloneDxSbom, debianComponent, npmComponent, type SbomComponent } from './cyclonedx-sbom.js';
export { sbomPath, sbomDigestLabel } from './service-image.js';
export { buildServiceImages, serviceApps, type BuiltServiceImage, type BuildServiceImagesOptions } from './service-images.js';
