import { execFileSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ServiceRole } from '@lading/contracts';
import { defaultDockerSocket } from '@lading/runtime';

/** Every process `lading up` starts: the four services, the event bus and the upstream registry. */
export type StackProcessKind = ServiceRole | 'nats' | 'upstream';

/**
 * The group every process of the embedded stack is in: it may enter the stack's home, its logs
 * and secrets folders (not list them) and read the principals file. Numeric, so no account has
 * to be added to the host.
 */
export const stackGroup = 64100;

/**
 * One unprivileged user per process when `lading up` runs as root, so that none reads another's
 * password, key or data. Well away from the bundle user (65532) and from the ranges Debian hands
 * out to people (1000–59999) and to system accounts (100–999).
 */
export const stackUserIds: Readonly<Record<StackProcessKind, number>> = {
  nats: 64101,
  upstream: 64102,
  broker: 64103,
  guard: 64104,
  builder: 64105,
  runner: 64106,
};

/** Who a process runs as: its user and group, its extra groups and the only capabilities it keeps. */
export interface ProcessUser {
  uid: number;
  gid: number;
  groups: readonly number[];
  /** Capability names as setpriv spells them (`net_admin`); empty for none at all. */
  capabilities: readonly string[];
}

export type StackUsers = Readonly<Record<StackProcessKind, ProcessUser>>;

/** Either the users to run as, or why the processes keep the user of `lading up`. */
export type StackUsersPlan = { users: StackUsers } | { users: undefined; reason?: string };

/** True when every folder above `path` lets other users through (the x bit for others). */
async function othersCanReach(path: string): Promise<boolean> {
  for (let folder = dirname(path); ; folder = dirname(folder)) {
    const mode = (await stat(folder)).mode;
    if ((mode & 0o001) === 0) return false;
    if (folder === dirname(folder)) return true;
  }
}

function hasSetpriv(): boolean {
  try {
    execFileSync('setpriv', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Decides who the stack's processes run as. When `lading up` is not root nothing changes. As
 * root, each process gets its own user (see stackUserIds); the builder and the runner are also in
 * the Docker socket's group, and the runner keeps CAP_NET_ADMIN alone, for its firewall rules.
 * Where the host does not allow it — no setpriv, or a home or Node.js that other users cannot
 * reach (a LADING_HOME under /root, say) — the processes stay root and the reason is given. The
 * checkout matters only when services run from their TypeScript sources (`checkout` is given
 * then): compiled services run from copies under the home (service-copies.ts).
 */
export async function planStackUsers(places: { home: string; checkout?: string }): Promise<StackUsersPlan> {
  if (process.getuid?.() !== 0) return { users: undefined };
  if (!hasSetpriv()) return { users: undefined, reason: 'setpriv (Debian package util-linux) is missing' };
  const needed: [string, string][] = [
    ['the stack home', places.home],
    ['Node.js', process.execPath],
    ...(places.checkout ? [['the Lading checkout the services run from', places.checkout] as [string, string]] : []),
  ];
  for (const [what, path] of needed) {
    if (!(await othersCanReach(path))) return { users: undefined, reason: `other users cannot reach ${what} (${path}): a folder above it lacks the x bit for others` };
  }
  const dockerGroup = await stat(defaultDockerSocket).then(
    (socket) => [socket.gid],
    () => [],
  );
  const user = (kind: StackProcessKind, extraGroups: readonly number[] = [], capabilities: readonly string[] = []): ProcessUser => ({
    uid: stackUserIds[kind],
    gid: stackUserIds[kind],
    groups: [stackGroup, ...extraGroups],
    capabilities,
  });
  return {
    users: {
      nats: user('nats'),
      upstream: user('upstream'),
      broker: user('broker'),
      guard: user('guard'),
      builder: user('builder', dockerGroup),
      runner: user('runner', dockerGroup, ['net_admin']),
    },
  };
}

/**
 * The command line that starts `command` as `user` with setpriv (util-linux): no other groups,
 * no capabilities but the user's own (kept through exec as ambient ones, and the only ones in
 * the bounding set), and no new privileges from setuid files.
 */
export function asUser(user: ProcessUser, command: string, args: readonly string[]): { command: string; args: string[] } {
  const kept = user.capabilities.map((name) => `+${name}`);
  return {
    command: 'setpriv',
    args: [
      `--reuid=${user.uid}`,
      `--regid=${user.gid}`,
      `--groups=${user.groups.join(',')}`,
      `--inh-caps=${['-all', ...kept].join(',')}`,
      ...(kept.length > 0 ? [`--ambient-caps=${kept.join(',')}`] : []),
      `--bounding-set=${['-all', ...kept].join(',')}`,
      '--no-new-privs',
      '--',
      command,
      ...args,
    ],
  };
}
