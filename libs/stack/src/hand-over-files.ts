import { chmod, chown, lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServiceRole } from '@lading/contracts';
import type { StackPaths } from './layout.js';
import { serviceRoles } from './nats-permissions.js';
import { stackGroup, type StackUsers } from './service-users.js';

const root = 0;

async function own(path: string, uid: number, gid: number, mode: number): Promise<void> {
  await chown(path, uid, gid);
  await chmod(path, mode);
}

/** A home that no stack ran in yet lacks some folders: they get their rights when `lading up` makes them. */
async function ifPresent(change: Promise<void>): Promise<void> {
  await change.catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

/** A folder and everything in it to one user; the folder itself 0700. Links are changed, not followed. */
async function ownTree(path: string, uid: number): Promise<void> {
  const entries = await readdir(path, { recursive: true });
  for (const entry of entries) {
    const file = join(path, entry);
    const info = await lstat(file);
    if (info.isSymbolicLink()) continue;
    await chown(file, uid, uid);
  }
  await own(path, uid, uid, 0o700);
}

/** A file that exists, empty if it was not there, owned by one user only. */
async function ownFile(path: string, uid: number): Promise<void> {
  await (await open(path, 'a', 0o600)).close();
  await own(path, uid, uid, 0o600);
}

/**
 * The folders every process of the stack passes through, and the principals file they all
 * read: root's, with the stack group allowed to enter (not list) and to read. Called again
 * whenever principals change, since rewriting those files makes them private again.
 */
export async function shareStackHome(paths: StackPaths): Promise<void> {
  if (process.getuid?.() !== root) return;
  for (const folder of [paths.home, paths.logsDir, paths.secretsDir, join(paths.home, 'state')]) {
    await ifPresent(own(folder, root, stackGroup, 0o710));
  }
  await ifPresent(own(paths.principalsFile, root, stackGroup, 0o640));
}

/**
 * Gives each process of the stack the files it alone needs, before it starts as its own user:
 * its NATS password, state folder and spans file; the broker its keys, the guard its upstream
 * password and the builder's verifier, the builder its front-door password, nats-server its
 * configuration and store, the upstream registry its configuration, htpasswd and data. Whatever
 * a process does not need stays root's (the principals' passwords, their credentials files,
 * stack.json).
 */
export async function handOverStackFiles(paths: StackPaths, users: StackUsers): Promise<void> {
  await shareStackHome(paths);
  for (const role of serviceRoles as readonly ServiceRole[]) {
    const uid = users[role].uid;
    await own(paths.passwordFile(role), uid, uid, 0o600);
    await ownTree(paths.stateDir(role), uid);
    await ownFile(paths.spansFile(role), uid);
  }
  await ownTree(paths.keysDir, users.broker.uid);
  await own(paths.upstreamPasswordFile, users.guard.uid, users.guard.uid, 0o600);
  await own(paths.builderRegistryPasswordFile, users.builder.uid, users.builder.uid, 0o600);
  await ownTree(paths.natsDir, users.nats.uid);
  // The registry's folder also holds the verifier the guard reads: the guard may pass through it.
  await ownTree(paths.registryData, users.upstream.uid);
  await own(paths.registryConfig, users.upstream.uid, users.upstream.uid, 0o600);
  await own(paths.registryHtpasswd, users.upstream.uid, users.upstream.uid, 0o600);
  await own(paths.contentPushersFile, users.guard.uid, users.guard.uid, 0o600);
  await own(paths.registryDir, users.upstream.uid, stackGroup, 0o710);
}
