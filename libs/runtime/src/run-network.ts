import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { engineMessage, RuntimeError } from './errors.js';

/** Whether a bundle may open connections to the internet; `off` leaves it loopback only. */
export type Egress = 'on' | 'off';

/**
 * Host interface names of run networks all start with this, so one host firewall rule
 * (`host-isolation.ts`) covers every run network, present and future. Linux allows 15 characters.
 */
export const runBridgePrefix = 'lading-';

/**
 * Creates the network one bundle container runs on and returns its NetworkMode. With egress on it
 * is a bridge of its own with inter-container traffic off, so no other run shares it; with
 * egress off there is no network at all (`none`: loopback only, no route anywhere).
 */
export async function createRunNetwork(docker: Docker, name: string, labels: Record<string, string>, egress: Egress): Promise<string> {
  if (egress === 'off') return 'none';
  try {
    await docker.createNetwork({
      Name: name,
      Driver: 'bridge',
      CheckDuplicate: true,
      Internal: false,
      EnableIPv6: false,
      Labels: labels,
      Options: {
        'com.docker.network.bridge.name': `${runBridgePrefix}${randomBytes(4).toString('hex')}`,
        'com.docker.network.bridge.enable_icc': 'false',
      },
    });
  } catch (error) {
    throw new RuntimeError('docker-engine', `Creating the run network ${name} failed: ${engineMessage(error)}`, { cause: error });
  }
  return name;
}

/** Removes a run network; `none` was never created. A network already gone is fine. */
export async function removeRunNetwork(docker: Docker, networkMode: string): Promise<void> {
  if (networkMode === 'none') return;
  await docker
    .getNetwork(networkMode)
    .remove()
    .catch(() => undefined);
}
