import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseImages, type BaseImageName } from '@lading/contracts';
import { debianBaseLayout, imageCacheDir } from '@lading/images';
import { RegistryClient, importOciLayout, pushDockerArchive, OciError } from '@lading/oci';
import { connectDocker, ensureDockerAvailable, makeBusyboxBaseImage, saveImage } from '@lading/runtime';
import { stackPaths } from './layout.js';
import { upstreamUser } from './services.js';
import { readStackFile } from './stack-file.js';
import { CodedError } from '@lading/contracts/errors';

export interface SeededBaseImage {
  name: BaseImageName;
  /** The front-door reference bundles name in `baseImage`. */
  reference: string;
  digest: string;
  note?: string;
}

/**
 * Nothing can be pulled from the internet here, so the stack makes its own base images: the
 * Debian one (the default) from Debian's packages, and busybox-static's. `lading up` pushes them
 * straight to the upstream with the guard's credential (the operator's own home holds it), as
 * tags that existed before any user: the guard adopts and protects them on first sight, and an
 * existing tag is never replaced. A base already in the registry is not made again, and the
 * Debian one is cached by its package list (see @lading/images), so a second `lading up` costs
 * a HEAD per base.
 */
export async function seedBaseImages(home: string, log: (line: string) => void = () => {}): Promise<SeededBaseImage[]> {
  const { stack, registry } = await upstreamOf(home);
  const seeded: SeededBaseImage[] = [];
  for (const name of Object.keys(baseImages) as BaseImageName[]) {
    const { repository, tag } = baseImages[name];
    const reference = `${stack.frontDoor}/${repository}:${tag}`;
    const existing = await registry.headManifest(repository, tag);
    if (existing) {
      seeded.push({ name, reference, digest: existing.digest });
      continue;
    }
    const digest = name === 'debian' ? await pushDebianBase(registry, repository, log) : await pushBusyboxBase(registry, repository, tag);
    seeded.push({ name, reference, ...(await tagBase(registry, repository, tag, digest, reference)) });
  }
  return seeded;
}

/** The running stack's file and a client of its upstream registry, with the guard's credential. */
async function upstreamOf(home: string): Promise<{ stack: NonNullable<Awaited<ReturnType<typeof readStackFile>>>; registry: RegistryClient }> {
  const stack = await readStackFile(home);
  if (!stack) throw new CodedError('not_found', `no Lading stack is running in ${home}: start one with \`lading up\``);
  const password = (await readFile(stackPaths(home).upstreamPasswordFile, 'utf8')).trim();
  const registry = new RegistryClient({
    registry: new URL(stack.upstream).host,
    insecure: true,
    credentials: { username: upstreamUser, password },
  });
  return { stack, registry };
}

/**
 * Pushes an image of the local Docker Engine to the stack as a base image, the way `lading up`
 * seeds its own (an existing tag is kept): for a base the operator made, such as one that brings
 * kubectl for the kubernetes mixin. Returns its front-door reference and digest.
 */
export async function seedLocalBaseImage(home: string, image: string, repository: string, tag: string): Promise<{ reference: string; digest: string; note?: string }> {
  const { stack, registry } = await upstreamOf(home);
  const docker = connectDocker();
  await ensureDockerAvailable(docker);
  const reference = `${stack.frontDoor}/${repository}:${tag}`;
  const digest = (await pushDockerArchive(registry, repository, await saveImage(docker, image))).digest;
  return { reference, ...(await tagBase(registry, repository, tag, digest, reference)) };
}

async function pushDebianBase(registry: RegistryClient, repository: string, log: (line: string) => void): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lading-debian-base-'));
  try {
    const layout = await debianBaseLayout(join(dir, 'layout'), { cacheDir: imageCacheDir(), log });
    await importOciLayout(layout.dir, registry, repository);
    return layout.digest;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function pushBusyboxBase(registry: RegistryClient, repository: string, tag: string): Promise<string> {
  const docker = connectDocker();
  await ensureDockerAvailable(docker);
  const imageId = await makeBusyboxBaseImage(docker, { tag: `${repository}:${tag}` });
  return (await pushDockerArchive(registry, repository, await saveImage(docker, imageId))).digest;
}

/** Tags the pushed manifest unless someone tagged another first; that one is kept, as the guard would keep it. */
async function tagBase(registry: RegistryClient, repository: string, tag: string, digest: string, reference: string): Promise<{ digest: string; note?: string }> {
  const existing = await registry.headManifest(repository, tag);
  if (existing && existing.digest !== digest) return { digest: existing.digest, note: `kept the existing ${reference} (${existing.digest})` };
  const manifest = await registry.getManifest(repository, digest);
  try {
    await registry.putManifest(repository, tag, manifest.mediaType, manifest.body);
  } catch (error) {
    if (!(error instanceof OciError)) throw error;
    return { digest, note: error.message };
  }
  return { digest };
}
