import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { imageCacheDir } from './image-cache.js';
import { rootfsLayer } from './rootfs-layer.js';
import { rootfsRecipes } from './rootfs-recipes.js';
import { nodeLayer, writeServiceImage } from './service-image.js';

const run = promisify(execFile);

/** The services that ship as images, each as lading/<app>; the runner's base also has iptables. */
export const serviceApps = ['builder', 'registry-guard', 'secret-broker', 'runner'] as const;

export interface BuiltServiceImage {
  /** lading/<app>:<version>. */
  name: string;
  manifestDigest: string;
  /** The image ID Docker shows. */
  imageId: string;
  sbomDigest: string;
  bytes: number;
}

export interface BuildServiceImagesOptions {
  workspaceRoot: string;
  /** Where the OCI layouts are written (kept: `skopeo copy oci:DIR/<app>/layout:<version> …` pushes one anywhere). */
  outDir: string;
  cacheDir?: string;
  /** Make the Debian layers again from the cached packages instead of reusing the finished ones. */
  rebuild?: boolean;
  /** Load each image into the local Docker Engine (default true). */
  load?: boolean;
  log?: (line: string) => void;
}

/**
 * Builds the four service images from the apps' built bundles (apps/<app>/dist) on a base made
 * from Debian packages: nothing is pulled from any image registry.
 */
export async function buildServiceImages(options: BuildServiceImagesOptions): Promise<BuiltServiceImage[]> {
  const log = options.log ?? (() => {});
  const cacheDir = options.cacheDir ?? imageCacheDir();
  const revision = (await run('git', ['rev-parse', 'HEAD'], { cwd: options.workspaceRoot })).stdout.trim();
  await rm(options.outDir, { recursive: true, force: true });
  await mkdir(options.outDir, { recursive: true });
  const layers = {
    service: await rootfsLayer(rootfsRecipes.service, { cacheDir, rebuild: options.rebuild, log }),
    runner: await rootfsLayer(rootfsRecipes.runner, { cacheDir, rebuild: options.rebuild, log }),
  };
  const node = await nodeLayer(options.outDir);
  const built: BuiltServiceImage[] = [];
  for (const app of serviceApps) {
    const appDir = join(options.workspaceRoot, 'apps', app);
    const { version } = JSON.parse(await readFile(join(appDir, 'package.json'), 'utf8')) as { version: string };
    const repository = `lading/${app}`;
    const workDir = join(options.outDir, app);
    await mkdir(workDir, { recursive: true });
    const rootfs = app === 'runner' ? layers.runner : layers.service;
    const image = await writeServiceImage({ appDir, workspaceRoot: options.workspaceRoot, repository, version, revision, rootfs, node, workDir });
    const name = `${repository}:${version}`;
    if (options.load ?? true) await run('skopeo', ['copy', '--quiet', `oci:${image.layout}:${version}`, `docker-daemon:${name}`], { maxBuffer: 16 << 20 });
    let bytes = 0;
    for (const file of [rootfs.file, node.file, join(workDir, 'app.tar')]) bytes += (await stat(file)).size;
    built.push({ name, manifestDigest: image.manifest.digest, imageId: image.configDigest, sbomDigest: image.sbomDigest, bytes });
    log(`${name}  ${image.configDigest}  ${(bytes / 1e6).toFixed(1)} MB`);
  }
  return built;
}
