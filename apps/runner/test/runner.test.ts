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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buckets, endpoints, runEventSchema, sealingContexts, streams, subjects, type RunEvent, type RunRequest } from '@lading/contracts';
import { RegistryClient } from '@lading/oci';
import { connectDocker, ensureDockerAvailable, ownerLabels, removeLeftovers } from '@lading/runtime/internal';
import { seal } from '@lading/secrets';
import { callEndpoint, openBucket } from '@lading/service-kit/internal';
import { connectToNats } from '@lading/service-kit/client';
import { prepareStackHome, recordStack, stackPaths, type PreparedHome } from '@lading/stack/internal';
import { freePort, startNatsServer, startProcess, startRegistry, waitForPort, type RunningProcess, type TestNatsServer, type TestRegistry } from '@lading/testkit';
import { leakForms } from '../../cli/test/search-files.js';
import {
  buildAndPublish,
  containerEvents,
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
  let brokerPublicKey: string;
  let home: PreparedHome & { dir: string };
  /** The runner's own connection: what the runner may see of its queue and records. */
  let runnerNc: NatsConnection;
  /** A broker connection: only the broker may put a message on the work queue. */
  let brokerNc: NatsConnection;
  const docker = connectDocker();

  /** Every runner the suite starts belongs to this stack: what a failed test leaves is removed by it. */
  const stackId = `lading-test-runner-stack-${suffix}`;
  const runnerIds = new Set<string>();

  function serviceEnv(httpPort: number, extra: Record<string, string>): NodeJS.ProcessEnv {
    if (extra.LADING_RUNNER_ID) runnerIds.add(extra.LADING_RUNNER_ID);
    return { ...process.env, LADING_NATS_URL: nats.url, LADING_HTTP_PORT: String(httpPort), LADING_STATE_DIR: stateDir, LADING_STACK_ID: stackId, ...extra };
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

  function request(fields: Partial<RunRequest> = {}): RunRequest {
    return runRequest({ installation: 'runner-app', bundleReference: published.reference, credentialSets: [{ name: 'runner-creds', namespace: '' }], ...fields });
  }

  /**
   * JetStream says nothing when a work-queue message is acknowledged and removed (no event, no
   * advisory without ack sampling): reading the stream's count is the only way to see it.
   */
  async function untilQueueEmpty(): Promise<void> {
    const manager = await jetstreamManager(runnerNc);
    while ((await manager.streams.info(streams.runs.name)).state.messages > 0) await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }

  /** Puts a message on the work queue directly, as only the broker may in a deployed stack. */
  async function queue(message: RunRequest | Record<string, unknown>): Promise<void> {
    await jetstream(brokerNc).publish(subjects.runs.requested, JSON.stringify(message));
  }

  /**
   * Asks the broker for the run, as `lading install` does; with `wait`, asks again while the
   * installation is busy, as `--wait` does.
   */
  async function submit(run: RunRequest, wait = false): Promise<void> {
    const input = seal(Buffer.from(JSON.stringify({ parameters: run.parameters, sources: {} })), brokerPublicKey, sealingContexts.runInput(run.runId));
    const { runId, installation, namespace, action, bundleReference, credentialSets, parameterSets } = run;
    for (;;) {
      try {
        await callEndpoint(nc, endpoints.runsSubmit, { runId, installation, namespace, action, bundleReference, credentialSets, parameterSets, input });
        return;
      } catch (error) {
        if (!wait || (error as { code?: string }).code !== 'busy') throw error;
        // The lock is released after the holder's last event, when the broker hears the run
        // ended, and that release sends no event of its own: asking again is how `--wait` learns it too.
        await new Promise((resolveRetry) => setTimeout(resolveRetry, 200));
      }
    }
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
      LADING_REGISTRY: registryServer.host,
      LADING_BROKER_KEY_FILE: join(stateDir, 'broker.key'),
      LADING_STORE_KEY_FILE: join(stateDir, 'store.key'),
    });
    runner = await startService(runnerMain, { ...serviceUser('runner'), LADING_REGISTRY: registryServer.host, LADING_RUNNER_ID: 'runner-under-test' });
    // Requests come from the administrator, as the CLI sends them; queue and records are the runner's.
    nc = await connectToNats({ natsUrl: nats.url, natsUser: 'admin', natsPassword: home.passwords.principals.admin, name: 'runner-test' });
    runnerNc = await connectToNats({ natsUrl: nats.url, natsUser: 'runner', natsPassword: home.passwords.services.runner, name: 'runner-test-records' });
    brokerNc = await connectToNats({ natsUrl: nats.url, natsUser: 'broker', natsPassword: home.passwords.services.broker, name: 'runner-test-queue' });
    follower = new RunEventFollower(nc.subscribe(subjects.runs.eventsAll));

    // As `lading secrets set` and `lading credentials apply` do.
    const { publicKey } = await callEndpoint(nc, endpoints.brokerPublicKey, {});
    brokerPublicKey = publicKey;
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
    for (const runnerId of runnerIds) await removeLeftovers(docker, { runnerId, stackId });
    await removeBundleImages(docker, bundleName);
    if (registryServer) await removeBaseImage(docker, localBaseTag, registryServer.host);
    await nats?.stop();
    await registryServer?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('executes a queued install and answers the installation queries', async () => {
    const install = request({ parameters: { greeting: 'howdy' } });
    await submit(install);
    const final = await follower.finished(install.runId);
    expect(final, runner.output()).toMatchObject({ status: 'succeeded', exitCode: 0 });
    const logEvents = follower.events.flatMap((event) => (event.runId === install.runId && event.type === 'log' ? [event.data] : []));
    expect(logEvents.join('')).toContain('token=*******');

    const { items } = await callEndpoint(nc, endpoints.installationsList, { namespace: '' });
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
    await submit(first);
    await submit(second);
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
    // Terminated and acknowledged requests leave the work queue empty (a request is acknowledged
    // once the broker has heard the run ended, just after its last event).
    await untilQueueEmpty();
    expect(runner.child.exitCode).toBeNull();
  });

  it('does not run a request again when it is queued a second time, and the broker refuses a second submission of it', async () => {
    const install = request({ installation: 'runner-repeated' });
    await submit(install);
    expect(await follower.finished(install.runId)).toMatchObject({ status: 'succeeded' });
    const since = Date.now();
    const before = (await callEndpoint(nc, endpoints.installationsRuns, { name: 'runner-repeated', namespace: '' })).runs;
    const again = { ...install };
    const marker = request({ installation: 'runner-marker' });
    await expect(submit(again)).rejects.toMatchObject({ code: 'conflict' });
    await queue(again);
    // A request queued behind it finishing proves the repeated one was taken and dealt with.
    await submit(marker);
    expect(await follower.finished(marker.runId)).toMatchObject({ status: 'succeeded' });
    // The first run's container is removed just after its result was sent, so its `destroy` may fall in this window: only a container made or started again would be a second run.
    const rerun = (await containerEvents(docker, install.runId, since)).filter((action) => action !== 'destroy');
    expect(rerun).toEqual([]);
    expect((await callEndpoint(nc, endpoints.installationsRuns, { name: 'runner-repeated', namespace: '' })).runs).toEqual(before);
  });

  it('leaves the next request to an idle runner while it is busy', async () => {
    const second = await startService(runnerMain, { ...serviceUser('runner'), LADING_REGISTRY: registryServer.host, LADING_RUNNER_ID: 'runner-second' });
    try {
      const held = request({ installation: 'runner-held', action: 'hold' });
      await submit(held);
      await follower.waitForLog(held.runId, 'READY');
      const next = request({ installation: 'runner-next' });
      await submit(next);
      // The held run cannot end before the test releases it, so the next one ran beside it.
      expect(await follower.finished(next.runId)).toMatchObject({ status: 'succeeded' });
      const [container] = await docker.listContainers({ filters: JSON.stringify({ label: [`sh.lading.run=${held.runId}`] }) });
      await release(container.Id);
      expect(await follower.finished(held.runId)).toMatchObject({ status: 'succeeded' });
      const runs = await openBucket(runnerNc, buckets.runs);
      const runnerOf = async (runId: string) => ((await runs.get(runId))?.json() as { runnerId: string }).runnerId;
      expect(new Set([await runnerOf(held.runId), await runnerOf(next.runId)])).toEqual(new Set(['runner-under-test', 'runner-second']));
    } finally {
      await second.stop();
    }
    expect(second.child.exitCode).toBe(0);
  });

  it('runs 10 concurrent installs of one installation on two runners one at a time, losing no record', async () => {
    const second = await startService(runnerMain, { ...serviceUser('runner'), LADING_REGISTRY: registryServer.host, LADING_RUNNER_ID: 'runner-contender' });
    const since = Date.now();
    try {
      const installs = Array.from({ length: 10 }, () => request({ installation: 'runner-contended' }));
      await expect(submit(installs[0])).resolves.toBeUndefined();
      // Without waiting, a second run of the busy installation is refused with one sentence.
      await expect(submit(request({ installation: 'runner-contended' }))).rejects.toMatchObject({
        code: 'busy',
        message: `installation runner-contended is busy with run ${installs[0].runId}: run the action again once it has finished, or pass --wait`,
      });
      await Promise.all(installs.slice(1).map((install) => submit(install, true)));
      const finals = await Promise.all(installs.map((install) => follower.finished(install.runId)));
      expect(finals.map((final) => final.type === 'status' && final.status)).toEqual(Array(10).fill('succeeded'));

      // Docker's own event history: every container of the installation died before the next one started.
      const now = Date.now();
      const options = {
        since: String(Math.floor(since / 1000)),
        until: `${Math.floor(now / 1000)}.${String((now % 1000) * 1_000_000).padStart(9, '0')}`,
        filters: JSON.stringify({ type: ['container'], event: ['start', 'die'], label: ['sh.lading.installation=runner-contended'] }),
      };
      const stream = (await docker.getEvents(options as unknown as Parameters<typeof docker.getEvents>[0])) as NodeJS.ReadableStream;
      let text = '';
      for await (const chunk of stream) text += chunk.toString();
      const actions = text.split('\n').filter((line) => line.trim() !== '').map((line) => (JSON.parse(line) as { Action: string }).Action);
      expect(actions).toEqual(Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? 'start' : 'die')));

      const { runs } = await callEndpoint(nc, endpoints.installationsRuns, { name: 'runner-contended', namespace: '' });
      expect(runs.map((run) => run.runId).sort()).toEqual(installs.map((install) => install.runId).sort());
      expect(runs.every((run) => run.status === 'succeeded')).toBe(true);
    } finally {
      await second.stop();
    }
  });

  it('on SIGTERM finishes the run it took, removes its container and network and the networks made ahead, then exits 0', async (context) => {
    // The other tests need a runner: once this one has stopped it, a fresh one takes its place.
    context.onTestFinished(async () => {
      await runner.stop();
      runner = await startService(runnerMain, { ...serviceUser('runner'), LADING_REGISTRY: registryServer.host, LADING_RUNNER_ID: 'runner-under-test' });
    });
    const held = request({ installation: 'runner-stopping', action: 'hold' });
    await submit(held);
    await follower.waitForLog(held.runId, 'READY');
    const [container] = await docker.listContainers({ filters: JSON.stringify({ label: [`sh.lading.run=${held.runId}`] }) });
    expect(container).toBeDefined();

    const exited = new Promise<'exited'>((resolveExit) => runner.child.once('exit', () => resolveExit('exited')));
    runner.child.kill('SIGTERM');
    await untilOutput(runner, '"stopping"');
    await release(container.Id);

    const first = await Promise.race([follower.finished(held.runId), exited]);
    expect(first, runner.output()).toMatchObject({ status: 'succeeded' });
    await exited;
    expect(runner.child.signalCode, runner.output()).toBeNull();
    expect(runner.child.exitCode).toBe(0);
    expect(runner.output()).toContain('"stopped"');
    expect(await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`sh.lading.run=${held.runId}`] }) })).toEqual([]);
    // Neither the run's network nor the pool's idle ones outlive the runner (what `lading down` relies on).
    const owned = JSON.stringify({ label: Object.entries(ownerLabels({ runnerId: 'runner-under-test', stackId })).map(([key, value]) => `${key}=${value}`) });
    expect(await docker.listNetworks({ filters: owned })).toEqual([]);
    // The request was acknowledged: nothing is left for another runner to redo.
    expect((await (await jetstreamManager(runnerNc)).streams.info(streams.runs.name)).state.messages).toBe(0);
  });
});
