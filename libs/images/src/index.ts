// The service images' public face: the Debian base `lading up` seeds and where it is cached. The
// image build itself (deploy/images/build.sh) runs src/cli/build-service-images.ts, compiled; what the tests
// drive one by one is in ./internal.ts (`@lading/images/internal`).
export { imageCacheDir } from './image-cache.js';
export { debianBaseLayout } from './debian-base-image.js';
