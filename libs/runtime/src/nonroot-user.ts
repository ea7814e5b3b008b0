import { bundleUid } from './hardened-host-config.js';

/**
 * The user database of every image Lading makes: root and `nonroot` (the bundle user, 65532),
 * so tools that look a user up by id find a name and a home. One copy for the busybox base, the
 * Debian base and the service images.
 */
export function userDatabase(shell: string): { passwd: string; group: string } {
  return {
    passwd: `root:x:0:0:root:/root:${shell}\nnonroot:x:${bundleUid}:${bundleUid}:nonroot:/home/nonroot:${shell}\n`,
    group: `root:x:0:\nnonroot:x:${bundleUid}:\n`,
  };
}
