import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson, sha256Digest } from '@lading/oci';
import { fetchDebianPackages, type DebianPackage } from './debian-packages.js';
import { debianRootfs } from './debian-rootfs.js';
import { debianPackageCache, layerCache } from './image-cache.js';
import type { RootfsRecipe } from './rootfs-recipes.js';

/** Bump when the way a root file system is laid out changes, so cached layers are not reused. */
const layoutRevision = 4;

export interface RootfsLayer {
  /** An uncompressed, reproducible tar. */
  file: string;
  /** What is inside, for the SBOM. */
  packages: Omit<DebianPackage, 'file' | 'control' | 'md5sums'>[];
}

export interface RootfsLayerOptions {
  cacheDir: string;
  /** Make the layer again from the (cached) packages even when a finished one is cached. */
  rebuild?: boolean;
  log?: (line: string) => void;
}

/**
 * The recipe's root file system as one layer, cached by the recipe's hash: a second build with
 * the same package list neither resolves nor downloads anything, nor unpacks again.
 */
export async function rootfsLayer(recipe: RootfsRecipe, options: RootfsLayerOptions): Promise<RootfsLayer> {
  const key = sha256Digest(canonicalJson({ recipe, layoutRevision })).slice('sha256:'.length, 'sha256:'.length + 32);
  const file = join(layerCache(options.cacheDir), `${recipe.name}-${key}.tar`);
  const index = `${file}.json`;
  if (!options.rebuild) {
    const cached = await readFile(index, 'utf8').then((text) => JSON.parse(text) as RootfsLayer['packages'], () => undefined);
    if (cached) return { file, packages: cached };
  }
  options.log?.(`${recipe.name}: Debian packages ${recipe.packages.join(', ')} and their dependencies`);
  const packages = await fetchDebianPackages(recipe.packages, debianPackageCache(options.cacheDir));
  const tree = await debianRootfs(recipe, packages);
  await tree.writeTar(file);
  const listed = packages.map(({ name, version, architecture, sha256 }) => ({ name, version, architecture, sha256 }));
  await writeFile(index, JSON.stringify(listed, null, 2));
  return { file, packages: listed };
}
