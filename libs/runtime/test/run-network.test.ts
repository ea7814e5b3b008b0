/**
 * Each run on a network of its own: two runs' bundles cannot reach each other, a bundle cannot
 * reach the host (its network's gateway or docker0's address), a run with egress off has no
 * network at all, and the run's network is gone when the run ends. Real Docker, real iptables.
 */
import { createServer, type Server } from 'node:net';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectDocker, ensureRunNetworkIsolation, type RunBundleContainerOptions } from '../src/internal.js';
import { releaseProbe, startListener, startProbe, useProbeImage } from './probe-image.js';

const docker = connectDocker();
const suite = useProbeImage(docker);

beforeAll(async () => {
  await ensureRunNetworkIsolation();
});

const probe = (action: string, extra: Partial<RunBundleContainerOptions> = {}) => startProbe(docker, suite, action, extra);

/** A TCP listener on every host address that counts the connections it accepts. */
async function hostListener(): Promise<{ server: Server; port: number; accepted: () => number }> {
  let count = 0;
  const server = createServer((socket) => {
    count += 1;
    socket.end('hello from the host\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  return { server, port: (server.address() as { port: number }).port, accepted: () => count };
}

/** The host's address on Docker's default bridge (Node lists only interfaces with a carrier, so ask ip). */
function docker0Address(): string {
  const [entry] = JSON.parse(execFileSync('ip', ['-4', '-j', 'addr', 'show', 'docker0']).toString()) as Array<{ addr_info: Array<{ local: string }> }>;
  const address = entry?.addr_info[0]?.local;
  if (!address) throw new Error('this host has no docker0 address to probe');
  return address;
}

async function networkExists(name: string): Promise<boolean> {
  return (await docker.listNetworks({ filters: JSON.stringify({ name: [name] }) })).some((network) => network.Name === name);
}


describe('run networks', () => {
  it("keeps two runs' bundles from reaching each other", async () => {
    const listener = startListener(docker, suite);
    const target = await listener.address;
    const connector = probe('connect', { env: { TARGETS: `${target} 8080` } });
    expect(await connector.done).toBe(`${target}=unreachable\n`);
    await releaseProbe(docker, listener.run.name);
    // Control: the listener answered on that address itself, so the refusal is the network's.
    expect(await listener.run.done).toBe(`self=served\nLISTENING ${target}\n`);
  });

  it("cannot reach a listener on the host, neither through its network's gateway nor on docker0's address", async () => {
    const listener = await hostListener();
    try {
      const docker0 = docker0Address();
      const { done } = probe('connect', { env: { TARGETS: `gateway ${listener.port},${docker0} ${listener.port}` } });
      const [throughGateway, onDocker0, ...rest] = (await done).trim().split('\n');
      expect(throughGateway).toMatch(/^\d+\.\d+\.\d+\.\d+=unreachable$/);
      expect(onDocker0).toBe(`${docker0}=unreachable`);
      expect(rest).toEqual([]);
      expect(listener.accepted()).toBe(0);

      // Control: an ordinary container on Docker's default bridge does reach the same listener.
      const control = await docker.createContainer({ Image: suite.image(), Entrypoint: ['sh', '-c', `echo | nc -w 3 ${docker0} ${listener.port}`], HostConfig: { NetworkMode: 'bridge' } });
      try {
        await control.start();
        await control.wait();
        expect(listener.accepted(), (await control.logs({ stdout: true, stderr: true })).toString()).toBe(1);
      } finally {
        await control.remove({ force: true });
      }
    } finally {
      listener.server.close();
    }
  });

  it('has its own interface and a default route with egress on, and nothing but loopback with egress off', async () => {
    expect(await probe('network').done).toBe('interfaces=eth0 lo \nroutes=2\n');
    expect(await probe('network', { egress: 'off' }).done).toBe('interfaces=lo \nroutes=0\n');
  });

  it('removes the run network when the run ends', async () => {
    const run = probe('whoami');
    await run.done;
    expect(await networkExists(run.name)).toBe(false);
  });
});
