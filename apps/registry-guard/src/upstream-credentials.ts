import { readFileSync } from 'node:fs';
import { guardSettings, SettingError, type SettingValues } from '@lading/service-kit/settings';

/**
 * The guard's own credential at the upstream registry (LADING_UPSTREAM_USER and
 * LADING_UPSTREAM_PASSWORD_FILE, mode 0600): with it the upstream can refuse everyone else.
 * Neither set: an upstream without authentication, as in tests that start their own registry.
 */
export function upstreamCredentials(
  settings: Pick<SettingValues<typeof guardSettings>, 'upstreamUser' | 'upstreamPasswordFile'>,
): { username: string; password: string } | undefined {
  const { upstreamUser: username, upstreamPasswordFile: file } = settings;
  if (!username && !file) return undefined;
  const { upstreamUser, upstreamPasswordFile } = guardSettings;
  if (!username || !file) throw new SettingError(username ? upstreamPasswordFile.name : upstreamUser.name, `set both ${upstreamUser.name} and ${upstreamPasswordFile.name}, or neither.`);
  const password = readFileSync(file, 'utf8').trim();
  if (!password) throw new SettingError(upstreamPasswordFile.name, `the upstream password file ${file} is empty.`);
  return { username, password };
}
