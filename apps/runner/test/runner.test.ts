/**
 * The runner process as deployed: `node --import tsx apps/runner/src/main.ts` on a real
 * nats-server, beside the real secret-broker process, pulling bundles from a real registry and
 * running them in Docker. Values are applied over NATS the way the CLI applies them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { finished } from 'node:stream/promises';
import { join, resolve } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buckets, endpoints, runEventSchema, sealingContexts, streams, subjects, type RunEvent, type RunRequest } from '@lading/contracts';
import { RegistryClient } from '@lading/oci';
import { bundleLabels, connectDocker, ensureDockerAvailable } from '@lading/runtime';
import { seal } from '@lading/secrets';
import { callEndpoint, connectToNats, openBucket } from '@lading/service-kit';
import { prepareStackHome, recordStack, stackPaths, type PreparedHome } from '@lading/stack';
import { freePort, startNatsServer, startProcess, startRegistry, waitForPort, type RunningProcess, type TestNatsServer, type TestRegistry } from '@lading/testkit';
import { leakForms } from '../../cli/test/search-files.js';
import {
  buildAndPublish,
  containerEvents,
  removeLabelledContainers,
  removeBaseImage,
  removeBundleImages,
  runRequest,
  seedBaseImage,
  type PublishedBundle,
} from '../../../libs/execution/test/fixtures.js';

const suffix = randomBytes(4).toString('hex');
const bundleName = `lading-test-runner-${suffix}`;
const localBaseTag = `lading-test-runner-busybox:${suffix}`;
const canary = `canary-${randomBytes(9).toString('hex')}`;
const runnerMain = resolve(import.meta.dirname, '../src/main.ts');
const brokerMain = resolve(import.meta.dirname, '../../secret-broker/src/main.ts');

function manifest(registry: string): string {
  return `schemaVersion: 1.0.0
name: ${bundleName}
version: 0.1.0
registry: ${registry}/bundles
baseImage: ${registry}/lading/busybox:stable
credentials:
  - { name: api-token, env: API_TOKEN, required: true }
parameters:
  - { name: greeting, type: string, default: hello, env: GREETING }
outputs:
  - { name: uid }
  - { name: greeting-out }
customActions:
  hold: { description: Wait until the test releases it, modifies: false, stateless: true }
hold:
  - exec:
      command: sh
      arguments: [-c, 'echo READY; while [ ! -e /tmp/go ]; do sleep 0.1; done; echo released']
install:
  - exec:
      description: Print the credential, record outputs
      command: sh
      arguments:
        - -c
        - >-
          echo "token=$API_TOKEN";
          echo "$GREETING" > /cnab/app/outputs/greeting-out;
          id -u > /cnab/app/outputs/uid;
          echo done
`;
}

/** Every run event on the bus, in the order the runner published them. */
class RunEventFollower {
  readonly events: RunEvent[] = [];
  private readonly waiters: Array<{ runId: string; resolve: (event: RunEvent) => void }> = [];
  private logWaiters: Array<() => boolean> = [];

  constructor(private readonly subscription: Subscription) {
    void (async () => {
      for await (const message of subscription) {
        const event = runEventSchema.parse(message.json());
        this.events.push(event);
        this.logWaiters = this.logWaiters.filter((check) => !check());
        if (event.type !== 'status' || (event.status !== 'succeeded' && event.status !== 'failed')) continue;
        for (const waiter of this.waiters.filter((entry) => entry.runId === event.runId)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
    })();
  }

  /** Resolves with the run's final status event. */
  finished(runId: string): Promise<RunEvent> {
    const done = this.events.find((event) => event.runId === runId && event.type === 'status' && ['succeeded', 'failed'].includes(event.status));
    if (done) return Promise.resolve(done);
    return new Promise((resolveWait) => this.waiters.push({ runId, resolve: resolveWait }));
  }

  /** Resolves once the run has logged `text` (in one chunk). */
  async waitForLog(runId: string, text: string): Promise<void> {
    const seen = () => this.events.some((event) => event.runId === runId && event.type === 'log' && event.data.includes(text));
    if (seen()) return;
    await new Promise<void>((resolveWait) => this.logWaiters.push(() => seen() && (resolveWait(), true)));
  }

  statuses(): string[] {
    return this.events.flatMap((event) => (event.type === 'status' ? [`${event.runId}:${event.status}`] : []));
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}

/** Resolves once the process has written `text`. */
function untilOutput(process: RunningProcess, text: string): Promise<void> {
  return new Promise((resolveWait) => {
    const check = () => {
      if (!process.output().includes(text)) return;
      process.child.stdout?.off('data', check);
      process.child.stderr?.off('data', check);
      resolveWait();
    };
    // Listeners added after startProcess's own ones see the output already appended.
    process.child.stdout?.on('data', check);
    process.child.stderr?.on('data', check);
    check();
  });
}

describe('runner process', () => {
  let nats: TestNatsServer;
  let registryServer: TestRegistry;
  let stateDir: string;
  let broker: RunningProcess;
  let runner: RunningProcess;
  let nc: NatsConnection;
  let published: PublishedBundle;
  let follower: RunEventFollower;
  let home: PreparedHome & { dir: string };
  /** The runner's own connection: what the runner may see of its queue and records. */
  let runnerNc: NatsConnection;
  let installing: Promise<{ install: RunRequest; final: RunEvent | undefined }> | undefined;
  const docker = connectDocker();
  // Unique per suite: the containers a failing test leaves behind are found by these labels.
  const runnerIds = [`runner-under-test-${suffix}`, `runner-second-${suffix}`];

  function serviceEnv(httpPort: number, extra: Record<string, string>): NodeJS.ProcessEnv {
    return { ...process.env, LADING_NATS_URL: nats.url, LADING_HTTP_PORT: String(httpPort), LADING_STATE_DIR: stateDir, ...extra };
  }

  function serviceUser(role: 'broker' | 'runner'): Record<string, string> {
    const paths = stackPaths(home.dir);
    return { LADING_NATS_USER: role, LADING_NATS_PASSWORD_FILE: paths.passwordFile(role), LADING_PRINCIPALS_FILE: paths.principalsFile };
  }

  async function startService(main: string, extra: Record<string, string>): Promise<RunningProcess> {
    const port = await freePort();
    const running = startProcess(process.execPath, ['--import', 'tsx', main], serviceEnv(port, extra));
    try {
      // The health port opens only once the service has registered everything it serves.
      await waitForPort(port);
    } catch (error) {
      await running.stop();
      throw new Error(`${main} did not start: ${running.output()}`, { cause: error });
    }
    return running;
  }

  /** Lets a held run go on (its action waits for /tmp/go). */
  async function release(containerId: string): Promise<void> {
    const exec = await docker.getContainer(containerId).exec({ Cmd: ['touch', '/tmp/go'], AttachStdout: true, AttachStderr: true });
    await finished((await exec.start({})).resume());
  }

  /** The first install, which the redelivery test repeats: run once, by whichever test needs it first. */
  function installed(): Promise<{ install: RunRequest; final: RunEvent | undefined }> {
    installing ??= (async () => {
      const install = request({ parameters: { greeting: 'howdy' } });
      await queue(install);
      return { install, final: await follower.finished(install.runId) };
    })();
    return installing;
  }

  /**
   * Requests left in the work queue. A run's acknowledgement travels after its last event, so
   * this waits (a bounded number of looks) for JetStream to have taken it before answering.
   */
  async function queuedRequests(): Promise<number> {
    const jsm = await jetstreamManager(runnerNc);
    let left = (await jsm.streams.info(streams.runs.name)).state.messages;
    for (let look = 0; left > 0 && look < 100; look++) {
      await new Promise((resolveLook) => setTimeout(resolveLook, 50));
      left = (await jsm.streams.info(streams.runs.name)).state.messages;
    }
    return left;
  }

  function startRunner(runnerId: string): Promise<RunningProcess> {
    return startService(runnerMain, { ...serviceUser('runner'), LADING_REGISTRY: registryServer.host, LADING_RUNNER_ID: runnerId });
  }

  function request(fields: Partial<RunRequest> = {}): RunRequest {
    return runRequest({ installation: 'runner-app', bundleReference: published.reference, credentialSets: [{ name: 'runner-creds', namespace: '' }], ...fields });
  }

  async function queue(message: RunRequest | Record<string, unknown>): Promise<void> {
    await jetstream(nc).publish(subjects.runs.requested, JSON.stringify(message));
  }

  beforeAll(async () => {
    await ensureDockerAvailable(docker);
    stateDir = await mkdtemp(join(tmpdir(), 'lading-runner-test-'));
    home = { dir: join(stateDir, 'home'), ...(await prepareStackHome(join(stateDir, 'home'))) };
    [nats, registryServer] = await Promise.all([startNatsServer(home.authorization), startRegistry()]);
    await recordStack(home.dir, home.passwords, { natsUrl: nats.url, frontDoor: registryServer.host, upstream: registryServer.url });
    const registry = new RegistryClient({ registry: registryServer.host });
    await seedBaseImage(docker, registry, localBaseTag);
    published = await buildAndPublish(docker, registry, manifest(registryServer.host));

    broker = await startService(brokerMain, {
      ...serviceUser('broker'),
      LADING_BROKER_KEY_FILE: join(stateDir, 'broker.key'),
      LADING_STORE_KEY_FILE: join(stateDir, 'store.key'),
    });
    runner = await startRunner(runnerIds[0]);
    // Requests come from the administrator, as the CLI sends them; queue and records are the runner's.
    nc = await connectToNats({ natsUrl: nats.url, natsUser: 'admin', natsPassword: home.passwords.principals.admin, name: 'runner-test' });
    runnerNc = await connectToNats({ natsUrl: nats.url, natsUser: 'runner', natsPassword: home.passwords.services.runner, name: 'runner-test-records' });
    follower = new RunEventFollower(nc.subscribe(subjects.runs.eventsAll));

    // As `lading secrets set` and `lading credentials apply` do.
    const { publicKey } = await callEndpoint(nc, endpoints.brokerPublicKey, {});
    await callEndpoint(nc, endpoints.secretsSet, { name: 'runner-token', sealed: seal(Buffer.from(canary), publicKey, sealingContexts.secretValue('runner-token')) });
    await callEndpoint(nc, endpoints.credentialsApply, {
      document: { schemaVersion: '1.0.1', name: 'runner-creds', credentials: [{ name: 'api-token', source: { secret: 'runner-token' } }] },
    });
  });

  afterAll(async () => {
    follower?.stop();
    await nc?.close();
    await runnerNc?.close();
    await runner?.stop();
    await broker?.stop();
    for (const runnerId of runnerIds) await removeLabelledContainers(docker, bundleLabels.runner, runnerId);
    await removeBundleImages(docker, bundleName);
    if (registryServer) await removeBaseImage(docker, localBaseTag, registryServer.host);
    await nats?.stop();
    await registryServer?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('executes a queued install and answers the installation queries', async () => {
    const { install, final } = await installed();
    expect(final, runner.output()).toMatchObject({ status: 'succeeded', exitCode: 0 });
    const logEvents = follower.events.flatMap((event) => (event.runId === install.runId && event.type === 'log' ? [event.data] : []));
    expect(logEvents.join('')).toContain('token=*******');

    const { items } = await callEndpoint(nc, endpoints.installationsList, { namespace: '' });
    // Other tests may have installed beside it, in any order.
    expect(items.map((item) => item.name)).toContain('runner-app');
    const { installation } = await callEndpoint(nc, endpoints.installationsShow, { name: 'runner-app', namespace: '' });
    expect(installation).toMatchObject({ status: 'installed', lastRunId: install.runId, bundleReference: published.reference, bundleName });
    const { runs } = await callEndpoint(nc, endpoints.installationsRuns, { name: 'runner-app', namespace: '' });
    expect(runs).toEqual([expect.objectContaining({ runId: install.runId, action: 'install', status: 'succeeded', exitCode: 0 })]);
    const { outputs } = await callEndpoint(nc, endpoints.installationsOutputs, { name: 'runner-app', namespace: '' });
    expect(Object.fromEntries(outputs.map((output) => [output.name, output.value]))).toEqual({ uid: '65532\n', 'greeting-out': 'howdy\n' });
    const logs = await callEndpoint(nc, endpoints.installationsLogs, { name: 'runner-app', namespace: '' });
    expect(logs.runId).toBe(install.runId);
    expect(logs.log).toContain('token=*******');
    expect(logs.log).toContain('done');
    for (const form of leakForms(canary)) {
      expect(logs.log).not.toContain(form);
      expect(JSON.stringify(follower.events)).not.toContain(form);
    }
    await expect(callEndpoint(nc, endpoints.installationsShow, { name: 'no-such-app', namespace: '' })).rejects.toThrow(/there is no installation named no-such-app/);
  });

  it('drops a malformed request and goes on to run the next two, one at a time', async () => {
    await queue({ runId: 'NOT A RUN', action: 'install' });
    const first = request({ installation: 'runner-first' });
    const second = request({ installation: 'runner-second' });
    await queue(first);
    await queue(second);
    const [firstFinal, secondFinal] = await Promise.all([follower.finished(first.runId), follower.finished(second.runId)]);
    expect(firstFinal, runner.output()).toMatchObject({ status: 'succeeded' });
    expect(secondFinal, runner.output()).toMatchObject({ status: 'succeeded' });

    // The work queue hands this runner one request at a time: the second starts after the first ended.
    const order = follower.statuses().filter((entry) => entry.startsWith(first.runId) || entry.startsWith(second.runId));
    expect(order).toEqual([
      `${first.runId}:starting`,
      `${first.runId}:running`,
      `${first.runId}:succeeded`,
      `${second.runId}:starting`,
      `${second.runId}:running`,
      `${second.runId}:succeeded`,
    ]);
    expect(runner.output()).toContain('dropped a malformed run request');
    // Terminated and acknowledged requests leave the work queue empty.
    expect(await queuedRequests()).toBe(0);
    expect(runner.child.exitCode).toBeNull();
  });

  it('does not run a request again when it is queued a second time', async () => {
    const { install } = await installed();
    const since = Date.now();
    const before = (await callEndpoint(nc, endpoints.installationsRuns, { name: 'runner-app', namespace: '' })).runs;
    const again = request({ runId: install.runId, parameters: { greeting: 'howdy' } });
    const marker = request({ installation: 'runner-marker' });
    await queue(again);
    // A request queued behind it finishing proves the repeated one was taken and dealt with.
    await queue(marker);
    expect(await follower.finished(marker.runId)).toMatchObject({ status: 'succeeded' });
    expect(await containerEvents(docker, install.runId, since)).toEqual([]);
    expect((await callEndpoint(nc, endpoints.installationsRuns, { name: 'runner-app', namespace: '' })).runs).toEqual(before);
  });

  it('leaves the next request to an idle runner while it is busy', async () => {
    const second = await startRunner(runnerIds[1]);
    try {
      const held = request({ installation: 'runner-held', action: 'hold' });
      await queue(held);
      await follower.waitForLog(held.runId, 'READY');
      const next = request({ installation: 'runner-next' });
      await queue(next);
      // The held run cannot end before the test releases it, so the next one ran beside it.
      expect(await follower.finished(next.runId)).toMatchObject({ status: 'succeeded' });
      const [container] = await docker.listContainers({ filters: JSON.stringify({ label: [`sh.lading.run=${held.runId}`] }) });
      await release(container.Id);
      expect(await follower.finished(held.runId)).toMatchObject({ status: 'succeeded' });
      const runs = await openBucket(runnerNc, buckets.runs);
      const runnerOf = async (runId: string) => ((await runs.get(runId))?.json() as { runnerId: string }).runnerId;
      expect(new Set([await runnerOf(held.runId), await runnerOf(next.runId)])).toEqual(new Set(runnerIds));
    } finally {
      await second.stop();
    }
    expect(second.child.exitCode).toBe(0);
  });

  it('on SIGTERM finishes the run it took, removes its container, then exits 0', async () => {
    const stopping = runner;
    // Whatever happens here, the tests after this one (in any order) find a runner taking requests.
    onTestFinished(async () => {
      await stopping.stop();
      runner = await startRunner(runnerIds[0]);
    });
    const held = request({ installation: 'runner-stopping', action: 'hold' });
    await queue(held);
    await follower.waitForLog(held.runId, 'READY');
    const [container] = await docker.listContainers({ filters: JSON.stringify({ label: [`sh.lading.run=${held.runId}`] }) });
    expect(container).toBeDefined();

    const exited = new Promise<'exited'>((resolveExit) => stopping.child.once('exit', () => resolveExit('exited')));
    stopping.child.kill('SIGTERM');
    await untilOutput(stopping, '"stopping"');
    await release(container.Id);

    const first = await Promise.race([follower.finished(held.runId), exited]);
    expect(first, stopping.output()).toMatchObject({ status: 'succeeded' });
    await exited;
    expect(stopping.child.signalCode, stopping.output()).toBeNull();
    expect(stopping.child.exitCode).toBe(0);
    expect(stopping.output()).toContain('"stopped"');
    expect(await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`sh.lading.run=${held.runId}`] }) })).toEqual([]);
    // The request was acknowledged: nothing is left for another runner to redo.
    expect(await queuedRequests()).toBe(0);
  });
});
