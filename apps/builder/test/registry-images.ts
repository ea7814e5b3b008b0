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
  const manifest = await client.getManifest(repository, pushed.digest);
  await client.putManifest(repository, tag, manifest.mediaType, manifest.body);
  return { imageId, digest: pushed.digest };
}

/** Local image ids carrying a label, as `docker images` lists them. */
export function imagesLabelled(label: string): string[] {
  const ids = execFileSync('docker', ['images', '-q', '--no-trunc', '--filter', `label=${label}`], { encoding: 'utf8' }).trim();
  return ids === '' ? [] : [...new Set(ids.split('\n'))];
}

/** Removes images, ignoring ones already gone (cleanup must not hide a test's own failure). */
export function removeImages(ids: readonly string[]): void {
  for (const id of ids) {
    try {
      execFileSync('docker', ['rmi', '-f', id], { stdio: 'ignore' });
    } catch {
      // already removed
    }
  }
}
