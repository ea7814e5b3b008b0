/**
 * Run networks made ahead: each is handed to exactly one run, never back to another, and is gone
 * after its run whether the run succeeds, exits non-zero or fails before its container starts.
 * Adversarial: two runs take networks from one pool at the same moment, and a third run from it
 * tries to reach both. Real Docker, real iptables.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectDocker, ensureRunNetworkIsolation, ownerLabels, RunNetworkPool, type ContainerOwner, type RunBundleContainerOptions } from '../src/internal.js';
import { containerExists, uniqueName } from './docker-fixtures.js';
import { releaseProbe, startListener, startProbe, useProbeImage } from './probe-image.js';

const docker = connectDocker();
const suite = useProbeImage(docker);
const { owner } = suite;

beforeAll(async () => {
  await ensureRunNetworkIsolation();
});

/** The names of the networks that carry this owner's labels: the pool's idle ones and those of runs not yet removed. */
async function ownedNetworks(of: ContainerOwner = owner): Promise<string[]> {
  const filters = JSON.stringify({ label: Object.entries(ownerLabels(of)).map(([key, value]) => `${key}=${value}`) });
  return (await docker.listNetworks({ filters })).map((network) => network.Name).sort();
}

async function networkOf(containerId: string): Promise<string> {
  return (await docker.getContainer(containerId).inspect()).HostConfig.NetworkMode ?? '';
}

const probe = (pool: RunNetworkPool, action: string, extra: Partial<RunBundleContainerOptions> = {}) => startProbe(docker, suite, action, { networkPool: pool, ...extra });

describe('the run network pool', () => {
  it('gives runs that start at the same moment networks of their own, and no run reaches another', async () => {
    const pool = new RunNetworkPool(docker, owner, 1);
    try {
      await pool.ready();
      // Two listeners ask at once: the one network made ahead can go to one of them only.
      const listeners = [startListener(docker, suite, { networkPool: pool }), startListener(docker, suite, { networkPool: pool })];
      const addresses = await Promise.all(listeners.map((listener) => listener.address));
      const connector = probe(pool, 'connect', { env: { TARGETS: addresses.map((address) => `${address} 8080`).join(',') } });
      const runs = [...listeners.map((listener) => listener.run), connector];
      const networks = await Promise.all(runs.map(async (run) => networkOf(await run.started)));
      expect(new Set(networks).size).toBe(3);
      expect(networks.every((network) => network.startsWith('lading-net-'))).toBe(true);
      expect(await connector.done).toBe(addresses.map((address) => `${address}=unreachable\n`).join(''));
      for (const [index, listener] of listeners.entries()) {
        await releaseProbe(docker, listener.run.name);
        // Control: each listener answered on its address itself, so the refusal is the networks'.
        expect(await listener.run.done).toBe(`self=served\nLISTENING ${addresses[index]}\n`);
      }
      const left = await ownedNetworks();
      expect(left.filter((network) => networks.includes(network))).toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it('never hands out one network twice, however many runs ask at once', async () => {
    const pool = new RunNetworkPool(docker, owner, 2);
    const taken = await Promise.all(Array.from({ length: 6 }, () => pool.take()));
    try {
      expect(new Set(taken).size).toBe(6);
      await pool.ready();
      const idle = (await ownedNetworks()).filter((network) => !taken.includes(network));
      expect(idle).toHaveLength(2);
    } finally {
      await pool.close();
      for (const network of taken) await docker.getNetwork(network).remove();
    }
    expect(await ownedNetworks()).toEqual([]);
  });

  it("removes a run's network after the run, when it succeeds, exits non-zero, or fails before its container starts", async () => {
    const pool = new RunNetworkPool(docker, owner, 1);
    try {
      for (const run of [
        () => probe(pool, 'whoami').done,
        () => probe(pool, 'filesystem').done,
        // An image this host does not have: the container is never created.
        () => probe(pool, 'whoami', { image: `sha256:${randomBytes(32).toString('hex')}` }).done.catch((error: Error) => error.message),
      ]) {
        await pool.ready();
        const before = await ownedNetworks();
        expect(before).toHaveLength(1);
        await run();
        await pool.ready();
        const after = await ownedNetworks();
        // The one made ahead went to the run and is gone with it; a fresh one waits for the next.
        expect(after).toHaveLength(1);
        expect(after).not.toContain(before[0]);
      }
    } finally {
      await pool.close();
    }
    expect(await ownedNetworks()).toEqual([]);
  });

  it('with removeLater leaves the container and network until the caller removes them, also when the run fails', async () => {
    const pool = new RunNetworkPool(docker, owner, 0);
    const removals: Array<() => Promise<void>> = [];
    const run = probe(pool, 'filesystem', { removeLater: (removal) => removals.push(removal) });
    await run.done;
    const containerId = await run.started;
    const network = await networkOf(containerId);
    expect(await containerExists(docker, containerId)).toBe(true);
    expect(await ownedNetworks()).toEqual([network]);
    await removals[0]();
    expect(await containerExists(docker, containerId)).toBe(false);
    expect(await ownedNetworks()).toEqual([]);

    const failing = probe(pool, 'whoami', { image: `sha256:${randomBytes(32).toString('hex')}`, removeLater: (removal) => removals.push(removal) });
    await expect(failing.done).rejects.toThrow('is not on this Docker host');
    expect(await ownedNetworks()).toHaveLength(1);
    await removals[1]();
    expect(await ownedNetworks()).toEqual([]);
  });

  it('removes its idle networks when closed and hands out none after', async () => {
    const other: ContainerOwner = { runnerId: uniqueName('runner'), stackId: uniqueName('stack') };
    const pool = new RunNetworkPool(docker, other, 3);
    await pool.ready();
    expect(await ownedNetworks(other)).toHaveLength(3);
    await pool.close();
    expect(await ownedNetworks(other)).toEqual([]);
    await expect(pool.take()).rejects.toThrow('The runner is stopping: it hands out no more run networks.');
  });
});
