/**
 * Two stacks on one Docker host, both with a runner named runner-1 (as every embedded stack's
 * runner once was): starting, killing (SIGKILL) and restarting one stack's runner clears that
 * runner's own leftovers (a bundle, its network, the networks its pool made ahead) and never
 * touches the other stack's running bundle or pool. Real runner
 * processes on real nats-servers, real Docker.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDocker, createRunNetwork, ensureDockerAvailable, makeBusyboxBaseImage, ownerLabels, removeLeftovers, removeRunNetwork, type ContainerOwner } from '@lading/runtime/internal';
import type { NatsConnection } from '@nats-io/nats-core';
import { endpoints } from '@lading/contracts';
import { connectToNats } from '@lading/service-kit/client';
import { freePort, startNatsServer, startProcess, waitForPort, type RunningProcess, type TestNatsServer } from '@lading/testkit';

const runnerMain = resolve(import.meta.dirname, '../src/main.ts');
const suffix = randomBytes(4).toString('hex');
const baseTag = `lading-test-leftovers-busybox:${suffix}`;
const docker = connectDocker();

interface Stack {
  nats: TestNatsServer;
  stateDir: string;
  /** Answers runner registrations as the secret-broker would: these tests run no bundle action. */
  registrar: NatsConnection;
}

const stacks: Stack[] = [];
const owners: ContainerOwner[] = [];
const started: RunningProcess[] = [];

async function newStack(): Promise<Stack> {
  const nats = await startNatsServer();
  const registrar = await connectToNats({ natsUrl: nats.url, name: 'registrar-stand-in' });
  registrar.subscribe(endpoints.runnersRegister.subject, {
    callback: (_error, message) => {
      message.respond(JSON.stringify({ ok: true, value: { runnerId: message.json<{ runnerId: string }>().runnerId } }));
    },
  });
  await registrar.flush();
  const stack = { nats, registrar, stateDir: await mkdtemp(join(tmpdir(), 'lading-runner-stack-')) };
  stacks.push(stack);
  return stack;
}

/** Starts a runner of `stack` and returns it with the identity it logged once ready. */
async function startRunner(stack: Stack, extra: Record<string, string> = {}): Promise<{ runner: RunningProcess; owner: ContainerOwner }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, LADING_NATS_URL: stack.nats.url, LADING_HTTP_PORT: String(port), LADING_STATE_DIR: stack.stateDir, LADING_REGISTRY: '127.0.0.1:1', ...extra };
  delete env.LADING_STACK_ID;
  if (!('LADING_RUNNER_ID' in extra)) delete env.LADING_RUNNER_ID;
  const runner = startProcess(process.execPath, ['--import', 'tsx', runnerMain], env);
  started.push(runner);
  try {
    await waitForPort(port);
  } catch (error) {
    await runner.stop();
    throw new Error(`the runner did not start: ${runner.output()}`, { cause: error });
  }
  const line = runner
    .output()
    .split('\n')
    .find((entry) => entry.includes('"runner identity"'));
  const { runnerId, stackId } = JSON.parse(line ?? '{}') as ContainerOwner;
  const owner = { runnerId, stackId };
  owners.push(owner);
  return { runner, owner };
}

async function killed(runner: RunningProcess): Promise<void> {
  const exited = new Promise((resolveExit) => runner.child.once('exit', resolveExit));
  runner.child.kill('SIGKILL');
  await exited;
}

/** A bundle container as the runtime makes them: on its run network, labelled with its owner, running. */
async function bundleOf(owner: ContainerOwner): Promise<{ containerId: string; network: string }> {
  const name = `lading-test-leftover-${randomBytes(4).toString('hex')}`;
  const labels = ownerLabels(owner);
  const network = await createRunNetwork(docker, name, labels, 'on');
  const container = await docker.createContainer({ name, Image: baseTag, Cmd: ['sleep', '600'], Labels: labels, HostConfig: { NetworkMode: network } });
  await container.start();
  return { containerId: container.id, network };
}

async function running(containerId: string): Promise<boolean> {
  return docker
    .getContainer(containerId)
    .inspect()
    .then(
      (details) => details.State.Running,
      () => false,
    );
}

/** Names of the networks labelled with this owner: its pool made ahead, and any run's not yet removed. */
async function ownedNetworks(owner: ContainerOwner): Promise<string[]> {
  const filters = JSON.stringify({ label: Object.entries(ownerLabels(owner)).map(([key, value]) => `${key}=${value}`) });
  return (await docker.listNetworks({ filters })).map((network) => network.Name).sort();
}

async function networkExists(name: string): Promise<boolean> {
  return (await docker.listNetworks({ filters: JSON.stringify({ name: [name] }) })).some((network) => network.Name === name);
}

beforeAll(async () => {
  await ensureDockerAvailable(docker);
  await makeBusyboxBaseImage(docker, { tag: baseTag });
});

afterAll(async () => {
  for (const runner of started) await runner.stop();
  for (const owner of owners) if (owner.runnerId) await removeLeftovers(docker, owner);
  for (const stack of stacks) {
    await stack.registrar.close();
    await stack.nats.stop();
    await rm(stack.stateDir, { recursive: true, force: true });
  }
  await docker.getImage(baseTag).remove({ force: true }).catch(() => undefined);
});

describe('runner identity and leftovers', () => {
  it("starting, killing and restarting one stack's runner removes only its own leftovers, never the other stack's running bundle", async () => {
    const [one, other] = [await newStack(), await newStack()];
    const { owner: otherOwner, runner: otherRunner } = await startRunner(other, { LADING_RUNNER_ID: 'runner-1' });
    await otherRunner.written('"run networks made ahead"');
    const othersBundle = await bundleOf(otherOwner);

    const first = await startRunner(one, { LADING_RUNNER_ID: 'runner-1' });
    await first.runner.written('"run networks made ahead"');
    expect(first.owner.runnerId).toBe('runner-1');
    expect(first.owner.stackId).not.toBe(otherOwner.stackId);
    expect(await running(othersBundle.containerId)).toBe(true);

    // The runner dies mid-run: its bundle and network stay behind, and so do the networks its pool made ahead.
    const left = await bundleOf(first.owner);
    await killed(first.runner);
    expect(await running(left.containerId)).toBe(true);
    const stale = (await ownedNetworks(first.owner)).filter((network) => network !== left.network);
    expect(stale).toHaveLength(2);
    const othersPool = await ownedNetworks(otherOwner);

    const again = await startRunner(one, { LADING_RUNNER_ID: 'runner-1' });
    await again.runner.written('"run networks made ahead"');
    expect(again.owner).toEqual(first.owner);
    expect(await running(left.containerId)).toBe(false);
    expect(await networkExists(left.network)).toBe(false);
    expect(again.runner.output()).toContain('removed bundle containers and networks left by an earlier life of this runner');
    expect(await running(othersBundle.containerId)).toBe(true);
    expect(await networkExists(othersBundle.network)).toBe(true);
    // The stale pool is gone; the restarted runner made a fresh one; the other stack's pool is untouched.
    for (const network of stale) expect(await networkExists(network)).toBe(false);
    const fresh = await ownedNetworks(again.owner);
    expect(fresh).toHaveLength(2);
    expect(fresh.filter((network) => stale.includes(network))).toEqual([]);
    expect(await ownedNetworks(otherOwner)).toEqual(othersPool);

    await docker.getContainer(othersBundle.containerId).remove({ force: true });
    await removeRunNetwork(docker, othersBundle.network);
  });

  it('without LADING_RUNNER_ID generates an identity once, keeps it in its state directory and is the same runner after a restart', async () => {
    const stack = await newStack();
    const first = await startRunner(stack);
    expect(first.owner.runnerId).toMatch(/^runner-[0-9a-f]{12}$/);
    expect((await readFile(join(stack.stateDir, 'runner-id'), 'utf8')).trim()).toBe(first.owner.runnerId);
    await killed(first.runner);
    const second = await startRunner(stack);
    expect(second.owner).toEqual(first.owner);
    // Another stack's runner generates its own.
    const elsewhere = await startRunner(await newStack());
    expect(elsewhere.owner.runnerId).not.toBe(first.owner.runnerId);
    expect(elsewhere.owner.stackId).not.toBe(first.owner.stackId);
  });

  it('refuses to start, in one sentence, with a bundle name where a digest belongs', async () => {
    const stack = await newStack();
    const runner = startProcess(process.execPath, ['--import', 'tsx', runnerMain], {
      ...process.env,
      LADING_NATS_URL: stack.nats.url,
      LADING_HTTP_PORT: String(await freePort()),
      LADING_STATE_DIR: stack.stateDir,
      LADING_DOCKER_SOCKET_BUNDLES: '127.0.0.1:5000/bundles/hello',
    });
    started.push(runner);
    const code = await new Promise((resolveExit) => runner.child.once('exit', resolveExit));
    expect(code).toBe(1);
    expect(runner.output()).toContain('"message":"cannot start","error":"LADING_DOCKER_SOCKET_BUNDLES lists bundle digests');
  });
});
