import { execFileSync } from 'node:child_process';
import type Docker from 'dockerode';
import { pushDockerArchive, type RegistryClient } from '@lading/oci';
import { makeBusyboxBaseImage, saveImage } from '@lading/runtime';

/**
 * The base image the way the product seeds it: busybox imported into Docker under a local
 * `lading-test-` tag, pushed by digest, then tagged in the registry by a manifest PUT.
 */
export async function seedBaseImage(docker: Docker, client: RegistryClient, localTag: string, repository: string, tag: string) {
  const imageId = await makeBusyboxBaseImage(docker, { tag: localTag });
  const pushed = await pushDockerArchive(client, repository, await saveImage(docker, imageId));
  await tagInRegistry(client, repository, tag, pushed.digest);
  return { imageId, digest: pushed.digest };
}

/** Points a registry tag at a manifest the repository already holds (moves it if it exists). */
export async function tagInRegistry(client: RegistryClient, repository: string, tag: string, digest: string): Promise<void> {
  const manifest = await client.getManifest(repository, digest);
  await client.putManifest(repository, tag, manifest.mediaType, manifest.body);
}

export function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Local image ids carrying a label, as `docker images` lists them. */
export function imagesLabelled(label: string): string[] {
  const ids = docker('images', '-q', '--no-trunc', '--filter', `label=${label}`);
  return ids === '' ? [] : [...new Set(ids.split('\n'))];
}

/** Removes images, ignoring ones already gone (cleanup must not hide a test's own failure). */
export function removeImages(ids: readonly string[]): void {
  for (const id of ids) {
    try {
      docker('rmi', '-f', id);
    } catch {
      // already removed
    }
  }
}
