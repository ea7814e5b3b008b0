import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where downloaded Debian packages and finished layers are kept between builds, shared by every
 * Lading home on the machine: `LADING_CACHE_DIR`, else `$XDG_CACHE_HOME/lading`, else
 * `~/.cache/lading`.
 */
export function imageCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LADING_CACHE_DIR) return env.LADING_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lading');
}

export const debianPackageCache = (cacheDir: string) => join(cacheDir, 'debian-packages');
export const layerCache = (cacheDir: string) => join(cacheDir, 'layers');
