import type { Bundle } from '@lading/contracts';
import { randomBytes } from 'node:crypto';
import { buildBundle } from '@lading/build';
import { pushDockerArchive, RegistryClient, type RegistryCredentials } from '@lading/oci';
import { connectDocker, makeBusyboxBaseImage, saveImage } from '@lading/runtime';

export const baseRepository = 'lading/busybox';
export const baseTag = 'stable';

export interface TestBundle {
  /** bundle.json as the builder made it: every image by digest. */
  bundle: Bundle;
  /** `<registry>/<repository>:v<version>` */
  tag: string;
  repository: string;
  /** Digest of the base image, also listed under `images.tools` (a referenced image in another repository). */
  baseDigest: string;
}

export interface BundleFactory {
  /** Pushes as `credentials` (a principal of the front door): the base image's tag, the invocation image by digest. */
  build(frontDoor: string, credentials?: RegistryCredentials): Promise<TestBundle>;
  /** Removes every Docker image the factory made. */
  cleanUp(): Promise<void>;
}

function manifest(frontDoor: string, name: string): string {
  return `schemaVersion: 1.0.0
name: ${name}
version: 0.1.0
registry: ${frontDoor}/bundles
baseImage: ${frontDoor}/${baseRepository}:${baseTag}
images:
  tools: { repository: ${frontDoor}/${baseRepository}, tag: ${baseTag} }
install:
  - exec: { description: Say hello, command: echo, arguments: [hello] }
uninstall:
  - exec: { description: Say goodbye, command: echo, arguments: [goodbye] }
`;
}

/**
 * Builds bundles the way the product does (libs/build from a hand-written lading.yaml), on a
 * busybox base image pushed through the front door so it has a digest, as `lading up` does.
 */
export function bundleFactory(): BundleFactory {
  const docker = connectDocker();
  const suffix = randomBytes(4).toString('hex');
  const baseImage = `lading-test-guard-busybox-${suffix}:${baseTag}`;
  const names: string[] = [];
  return {
    async build(frontDoor, credentials) {
      const registry = new RegistryClient({ registry: frontDoor, credentials });
      const pushed = await pushDockerArchive(registry, baseRepository, await saveImage(docker, await makeBusyboxBaseImage(docker, { tag: baseImage })));
      if (!(await registry.headManifest(baseRepository, baseTag))) {
        const body = await registry.getManifest(baseRepository, pushed.digest);
        await registry.putManifest(baseRepository, baseTag, body.mediaType, body.body);
      }
      const name = `lading-test-guard-${suffix}-${names.length}`;
      names.push(name);
      const built = await buildBundle({
        files: [{ path: 'lading.yaml', mode: 0o644, content: Buffer.from(manifest(frontDoor, name)) }],
        docker,
        registryFor: (host) => new RegistryClient({ registry: host, credentials }),
        log: () => undefined,
      });
      return { bundle: built.bundle, tag: built.tag, repository: `bundles/${name}`, baseDigest: pushed.digest };
    },
    async cleanUp() {
      for (const name of names) {
        const images = await docker.listImages({ filters: { label: [`sh.lading.bundle=${name}`] } });
        for (const image of images) await docker.getImage(image.Id).remove({ force: true }).catch(() => undefined);
      }
      await docker.getImage(baseImage).remove({ force: true }).catch(() => undefined);
    },
  };
}

/** The same bundle with another description: another bundle.json, so another index digest. */
export function variant(bundle: Bundle, note: string): Bundle {
  return { ...bundle, description: `variant ${note}` };
}
