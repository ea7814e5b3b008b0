import { parseReference, RegistryClient, pushDockerArchive, OciError } from '@lading/oci';
import { connectDocker, ensureDockerAvailable, makeBusyboxBaseImage, saveImage } from '@lading/runtime';

export const baseImageRepository = 'lading/busybox';
export const baseImageTag = 'stable';

/**
 * Nothing can be pulled from the internet here, so the stack makes its own base image: a
 * busybox-static root file system, imported into Docker and pushed through the front door so it
 * has a digest. Returns the tag reference bundles name in `baseImage`.
 */
export async function seedBaseImage(frontDoor: string): Promise<{ reference: string; digest: string; note?: string }> {
  const docker = connectDocker();
  await ensureDockerAvailable(docker);
  const imageId = await makeBusyboxBaseImage(docker, { tag: `${baseImageRepository}:${baseImageTag}` });
  const registry = new RegistryClient({ registry: parseReference(`${frontDoor}/${baseImageRepository}`).registry });
  const pushed = await pushDockerArchive(registry, baseImageRepository, await saveImage(docker, imageId));
  const reference = `${frontDoor}/${baseImageRepository}:${baseImageTag}`;
  const existing = await registry.headManifest(baseImageRepository, baseImageTag);
  if (existing && existing.digest !== pushed.digest) {
    return { reference, digest: existing.digest, note: `kept the existing ${reference} (${existing.digest})` };
  }
  const manifest = await registry.getManifest(baseImageRepository, pushed.digest);
  try {
    await registry.putManifest(baseImageRepository, baseImageTag, manifest.mediaType, manifest.body);
  } catch (error) {
    if (!(error instanceof OciError)) throw error;
    return { reference, digest: pushed.digest, note: error.message };
  }
  return { reference, digest: pushed.digest };
}
