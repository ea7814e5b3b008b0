import type Docker from 'dockerode';
import { APP_DIR, BUNDLE_UID, OUTPUTS_DIR, RUNTIME_USER, SECRETS_DIR } from '@lading/manifest';
import { defaultNanoCpus } from './cpu-limit.js';
import { defaultDockerSocket } from './docker-connection.js';
import type { HardenedHostConfigOptions } from './types.js';

/** The non-root user (and group) id every bundle runs as, from the container contract. */
export const bundleUid = BUNDLE_UID;
export const bundleUser = RUNTIME_USER;
const defaultMemoryBytes = 1024 * 1024 * 1024;
const defaultPidsLimit = 512;

/**
 * The only HostConfig a bundle container gets. Secrets live in tmpfs mounts (RAM, never the
 * host disk), swap is disabled for the same reason, the log driver is off because stdout carries
 * output values, CPU, memory and processes are bounded so a bundle cannot starve its host, and the
 * Docker socket appears only when the operator granted it to the bundle's digest.
 */
export function hardenedHostConfig(options: HardenedHostConfigOptions = {}): Docker.HostConfig {
  const memory = options.memoryBytes ?? defaultMemoryBytes;
  const socket = options.dockerSocketPath ?? defaultDockerSocket;
  const allowSocket = options.allowDockerSocket === true;
  return {
    Privileged: false,
    CapDrop: ['ALL'],
    CapAdd: [],
    SecurityOpt: ['no-new-privileges:true'],
    ReadonlyRootfs: true,
    Tmpfs: {
      '/tmp': 'rw,nosuid,nodev,size=64m,mode=1777',
      [SECRETS_DIR]: `rw,nosuid,nodev,noexec,size=4m,mode=0700,uid=${bundleUid},gid=${bundleUid}`,
      [OUTPUTS_DIR]: `rw,nosuid,nodev,noexec,size=16m,mode=0700,uid=${bundleUid},gid=${bundleUid}`,
      // The bundle's own files, copied here by its run script: writable in RAM, the root stays read-only.
      ...(options.writableApp === true ? { [APP_DIR]: `rw,nosuid,nodev,exec,size=256m,mode=0755,uid=${bundleUid},gid=${bundleUid}` } : {}),
    },
    Binds: [...(allowSocket ? [`${socket}:/var/run/docker.sock`] : []), ...(options.readOnlyBinds ?? []).filter((bind) => bind.endsWith(':ro'))],
    Mounts: [],
    VolumesFrom: [],
    Devices: [],
    GroupAdd: allowSocket && options.dockerSocketGid !== undefined ? [String(options.dockerSocketGid)] : [],
    PidsLimit: options.pidsLimit ?? defaultPidsLimit,
    NanoCpus: options.nanoCpus ?? defaultNanoCpus,
    Memory: memory,
    MemorySwap: memory,
    MemorySwappiness: 0,
    LogConfig: { Type: 'none', Config: {} },
    IpcMode: 'private',
    PublishAllPorts: false,
    AutoRemove: false,
    ...(options.network ? { NetworkMode: options.network } : {}),
  };
}
