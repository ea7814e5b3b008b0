import { readFileSync } from 'node:fs';

/**
 * The guard's own credential at the upstream registry (LADING_UPSTREAM_USER and
 * LADING_UPSTREAM_PASSWORD_FILE, mode 0600): with it the upstream can refuse everyone else.
 * Neither set: an upstream without authentication, as in tests that start their own registry.
 */
export function upstreamCredentials(env: NodeJS.ProcessEnv): { username: string; password: string } | undefined {
  const username = env.LADING_UPSTREAM_USER;
  const file = env.LADING_UPSTREAM_PASSWORD_FILE;
  if (!username && !file) return undefined;
  if (!username || !file) throw new Error('set both LADING_UPSTREAM_USER and LADING_UPSTREAM_PASSWORD_FILE, or neither');
  const password = readFileSync(file, 'utf8').trim();
  if (!password) throw new Error(`the upstream password file ${file} is empty`);
  return { username, password };
}
