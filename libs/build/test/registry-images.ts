import { execFileSync } from 'node:child_process';
import type Docker from 'dockerode';
import { expect } from 'vitest';
import { pushDockerArchive, RegistryClient } from '@lading/oci';
import { connectDocker, ensureDockerAvailable, makeBusyboxBaseImage, saveImage } from '@lading/runtime';
import { startRegistry, type TestRegistry } from '@lading/testkit';
import { BuildRefusedError } from '../src/internal.js';

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

/** What a build suite builds against: a docker-registry of its own holding the busybox base as `repository:stable`, and the Docker Engine. */
export interface BuildStage {
  registry: TestRegistry;
  client: RegistryClient;
  engine: Docker;
  baseImageId: string;
}

export async function startBuildStage(localBaseTag: string, baseRepository: string): Promise<BuildStage> {
  const registry = await startRegistry();
  const client = new RegistryClient({ registry: registry.host });
  const engine = connectDocker();
  await ensureDockerAvailable(engine);
  const baseImageId = (await seedBaseImage(engine, client, localBaseTag, baseRepository, 'stable')).imageId;
  return { registry, client, engine, baseImageId };
}

/** Runs a build that must be refused; returns the error after checking it is one line and nothing labelled for the bundle was built. */
export async function refusedBuild(bundleName: string, run: () => Promise<unknown>): Promise<BuildRefusedError> {
  const before = imagesLabelled(`sh.lading.bundle=${bundleName}`);
  const error = await run().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BuildRefusedError);
  expect((error as Error).message.split('\n')).toHaveLength(1);
  expect(imagesLabelled(`sh.lading.bundle=${bundleName}`)).toEqual(before);
  return error as BuildRefusedError;
}
