import { homedir } from 'node:os';
import { join } from 'node:path';
import { cliSettings, readSetting } from '@lading/service-kit/settings';

/**
 * Where downloaded Debian packages and finished layers are kept between builds, shared by every
 * Lading home on the machine: `LADING_CACHE_DIR`, else `$XDG_CACHE_HOME/lading`, else
 * `~/.cache/lading`.
 */
export function imageCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = readSetting(cliSettings.cacheDir, env);
  if (chosen) return chosen;
  return join(readSetting(cliSettings.xdgCacheHome, env) ?? join(homedir(), '.cache'), 'lading');
}

export const debianPackageCache = (cacheDir: string) => join(cacheDir, 'debian-packages');
export const layerCache = (cacheDir: string) => join(cacheDir, 'layers');
