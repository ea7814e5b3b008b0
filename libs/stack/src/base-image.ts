import { readFile } from 'node:fs/promises';
import { RegistryClient, pushDockerArchive, OciError } from '@lading/oci';
import { connectDocker, ensureDockerAvailable, makeBusyboxBaseImage, saveImage } from '@lading/runtime';
import { defaultBaseImage } from './default-base-image.js';
import { stackPaths } from './layout.js';
import { upstreamUser } from './services.js';
import { readStackFile } from './stack-file.js';

export const baseImageRepository = 'lading/busybox';
export const baseImageTag = 'stable';

/**
 * Nothing can be pulled from the internet here, so the stack makes its own base image: a
 * busybox-static root file system, imported into Docker and pushed so it has a digest. `lading up`
 * pushes it straight to the upstream with the guard's credential (the operator's own home holds
 * it), as a tag that existed before any user: the guard adopts and protects it on first sight,
 * and an existing tag is never replaced. Returns the front-door reference bundles name in `baseImage`.
 */
export async function seedBaseImage(home: string): Promise<{ reference: string; digest: string; note?: string }> {
  const stack = await readStackFile(home);
  if (!stack) throw new Error(`no Lading stack is running in ${home}: start one with \`lading up\``);
  const password = (await readFile(stackPaths(home).upstreamPasswordFile, 'utf8')).trim();
  const docker = connectDocker();
  await ensureDockerAvailable(docker);
  const imageId = await makeBusyboxBaseImage(docker, { tag: `${baseImageRepository}:${baseImageTag}` });
  const registry = new RegistryClient({
    registry: new URL(stack.upstream).host,
    insecure: true,
    credentials: { username: upstreamUser, password },
  });
  const pushed = await pushDockerArchive(registry, baseImageRepository, await saveImage(docker, imageId));
  const reference = defaultBaseImage(stack.frontDoor);
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
