/**
 * executeRun end to end with real parts: nats-server (KV records, the built-in store), a real
 * docker-registry holding bundles built by @lading/build, the real lease decision of
 * @lading/leases, and Docker running the invocation images.
 */
import { createHash, randomBytes } from 'node:crypto';
import { finished } from 'node:stream/promises';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRequestSchema, type Bundle, type RunInput, type RunRequest, type RunState } from '@lading/contracts';
import { grantLease } from '@lading/leases';
import { createClaim, newUlid, validateBundle, validateClaim, validateClaimResult } from '@lading/cnab/internal';
import { RegistryClient } from '@lading/oci';
import { connectDocker, ensureDockerAvailable, removeLeftovers } from '@lading/runtime';
import { runScopedSecretName } from '@lading/secrets';
import { connectToNats } from '@lading/service-kit/client';
import { startNatsServer, startRegistry, type TestNatsServer, type TestRegistry } from '@lading/testkit';
import { filesContaining, leakForms } from '../../../apps/cli/test/search-files.js';
import { executeRun, type ExecutionDependencies } from '../src/internal.js';
import {
  buildAndPublish,
  buildAndPublishAsRoot,
  containerEvents,
  EventLog,
  publishBundle,
  removeBaseImage,
  removeBundleImages,
  runRequest,
  seedBaseImage,
  startBrokerSide,
  type BrokerSide,
  type PublishedBundle,
} from './fixtures.js';

const suffix = randomBytes(4).toString('hex');
const bundleName = `lading-test-exec-${suffix}`;
const rootBundleName = `lading-test-exec-root-${suffix}`;
const localBaseTag = `lading-test-exec-busybox:${suffix}`;
// 25 bytes: a length whose base64 changes in its last character when a newline follows.
const canary = `canary-${randomBytes(9).toString('hex')}`;
const seedCanary = `seed-${randomBytes(8).toString('hex')}`;
/** What the bundle derives from the seed as its sensitive output; known only once it ran. */
const sensitiveOutput = createHash('sha256').update(seedCanary).digest('hex').slice(0, 32);

function manifest(registry: string, name: string): string {
  return `schemaVersion: 1.0.0
name: ${name}
version: 0.1.0
registry: ${registry}/bundles
baseImage: ${registry}/lading/busybox:stable
credentials:
  - { name: api-token, env: API_TOKEN, required: true }
parameters:
  - { name: greeting, type: string, default: hello, env: GREETING }
  - { name: db-seed, type: string, sensitive: true, env: DB_SEED, applyTo: [install] }
outputs:
  - { name: uid }
  - { name: greeting-out }
  - { name: db-password, sensitive: true, applyTo: [install] }
install:
  - exec:
      description: Print the credential in every form, record outputs
      command: sh
      arguments:
        - -c
        - >-
          echo "token=$API_TOKEN";
          half="\${API_TOKEN%????????}"; printf 'split=%s' "$half"; sleep 0.2; printf '%s\\n' "\${API_TOKEN#"$half"}";
          printf 'b64='; printf '%s' "$API_TOKEN" | base64;
          printf 'b64nl='; echo "$API_TOKEN" | base64;
          printf 'b64x='; echo "x$API_TOKEN" | base64;
          printf 'b64xy='; echo "xy$API_TOKEN" | base64;
          echo "seed=$DB_SEED";
          echo "$GREETING" > /cnab/app/outputs/greeting-out;
          id -u > /cnab/app/outputs/uid;
          echo "uid=$(id -u)";
          grep -E '^(CapEff|NoNewPrivs):' /proc/self/status;
          if touch /probe 2>/dev/null; then echo rootfs=writable; else echo rootfs=readonly; fi;
          printf '%s' "$DB_SEED" | sha256sum | cut -c1-32 | tr -d '\\n' > /cnab/app/outputs/db-password;
          echo done
customActions:
  hold: { description: Wait until the test has looked at the container, modifies: false, stateless: true }
hold:
  - exec:
      command: sh
      arguments: [-c, 'echo READY; while [ ! -e /tmp/go ]; do sleep 0.1; done; echo released']
upgrade:
  - exec:
      description: Record an output, then fail
      command: sh
      arguments:
        - -c
        - echo partial > /cnab/app/outputs/greeting-out; echo failing; exit 3
`;
}

// One installation's life in steps: the first run installs it, the next steps read what that run
// left (outputs, log, events) and the last ones run it again (a failing upgrade, a redelivery);
// the steps keep their order when the rest is shuffled.
describe('executeRun', { shuffle: false }, () => {
  let nats: TestNatsServer;
  let registryServer: TestRegistry;
  let nc: NatsConnection;
  let registry: RegistryClient;
  let broker: BrokerSide;
  let published: PublishedBundle;
  let deps: ExecutionDependencies;
  let installed: RunRequest;
  const events = new EventLog();
  const docker = connectDocker();

  /** As the runner does it: the broker admitted the run and this runner claimed it; the run is ended on the broker's side after. */
  async function runAdmitted(request: RunRequest, input: Partial<RunInput> = {}, runDeps = deps): Promise<{ queued: RunRequest; state: RunState }> {
    const queued = await broker.admit(request, input);
    try {
      return { queued, state: await executeRun(queued, runDeps) };
    } finally {
      await broker.finish(request.runId);
    }
  }
  const seed = { parameters: { 'db-seed': seedCanary } };

  function expectNoLeak(text: string, values = [canary, seedCanary, sensitiveOutput]): void {
    for (const value of values) for (const form of leakForms(value)) expect(text).not.toContain(form);
  }

  beforeAll(async () => {
    await ensureDockerAvailable(docker);
    [nats, registryServer] = await Promise.all([startNatsServer(), startRegistry()]);
    nc = await connectToNats({ natsUrl: nats.url, name: 'execution-test' });
    registry = new RegistryClient({ registry: registryServer.host });
    await seedBaseImage(docker, registry, localBaseTag);
    published = await buildAndPublish(docker, registry, manifest(registryServer.host, bundleName));
    broker = await startBrokerSide(nc, registry);
    await broker.store.set('exec-token', Buffer.from(canary));
    await broker.credentialSets.apply({ name: 'exec-creds', credentials: [{ name: 'api-token', source: { secret: 'exec-token' } }] });
    deps = {
      docker,
      registry,
      records: broker.records,
      ...broker.parts,
      publishEvent: events.publish,
      container: { owner: { runnerId: broker.parts.runnerId, stackId: `lading-test-exec-${suffix}` } },
      allowDockerSocket: () => false,
      log: () => undefined,
    };
  });

  afterAll(async () => {
    // A step that failed while its bundle ran leaves the container and its network: removed by owner.
    if (deps) await removeLeftovers(docker, deps.container.owner);
    await removeBundleImages(docker, bundleName);
    await removeBundleImages(docker, rootBundleName);
    if (registryServer) await removeBaseImage(docker, localBaseTag, registryServer.host);
    await nc?.close();
    await nats?.stop();
    await registryServer?.stop();
  });

  it('installs: succeeded, a valid claim and result, outputs recorded, only secret references in the claim', async () => {
    const since = Date.now();
    const { queued, state } = await runAdmitted(
      runRequest({ installation: 'exec-app', bundleReference: published.reference, credentialSets: [{ name: 'exec-creds', namespace: '' }], parameters: { greeting: 'howdy' } }),
      seed,
    );
    installed = queued;
    expect(installed).toMatchObject({ parameters: { greeting: 'howdy' }, sensitiveParameters: ['db-seed'] });
    expect(state.status, state.message).toBe('succeeded');
    expect(state.exitCode).toBe(0);

    const record = (await broker.records.getRun(installed.runId))?.value as RunState;
    expect(record.status).toBe('succeeded');
    const claim = validateClaim(record.claim);
    const result = validateClaimResult(record.result);
    expect(result.claimId).toBe(claim.id);
    expect(result.status).toBe('succeeded');
    expect(claim.bundleReference).toBe(published.reference);
    expect(claim.parameters).toEqual({ greeting: 'howdy', 'db-seed': 'secret:(redacted)' });
    expectNoLeak(JSON.stringify(record));

    const outputs = await broker.records.outputsOf('', 'exec-app');
    const byName = Object.fromEntries(outputs.map((output) => [output.name, output]));
    expect(byName.uid.value?.trim()).toBe('65532');
    expect(byName['greeting-out'].value?.trim()).toBe('howdy');
    expect(Object.keys(result.outputs ?? {}).sort()).toEqual(['db-password', 'greeting-out', 'uid']);

    const installation = (await broker.records.getInstallation('', 'exec-app'))?.value;
    expect(installation).toMatchObject({ status: 'installed', lastRunId: installed.runId, bundleReference: published.reference });
    expect(await containerEvents(docker, installed.runId, since)).toContain('create');
    expect(broker.audit.find((entry) => entry.runId === installed.runId)).toMatchObject({ granted: true, names: ['api-token', 'db-seed', 'greeting'] });
  });

  it('keeps a sensitive output in the secret store only: not in outputs, the result, the log or events', async () => {
    const stored = await broker.store.get(runScopedSecretName(installed.runId, 'output', 'db-password'));
    expect(stored?.toString()).toBe(sensitiveOutput);
    const outputs = await broker.records.outputsOf('', 'exec-app');
    expect(outputs.find((output) => output.name === 'db-password')).toEqual({ name: 'db-password', sensitive: true, runId: installed.runId });
    expectNoLeak(JSON.stringify(await broker.records.outputs.values()), [sensitiveOutput]);
    expectNoLeak((await broker.records.logOf(installed.runId)) ?? '', [sensitiveOutput]);
    expectNoLeak(events.text(installed.runId), [sensitiveOutput]);
    expectNoLeak(JSON.stringify((await broker.records.getRun(installed.runId))?.value), [sensitiveOutput]);
  });

  it('masks the credential printed plainly, split over two writes and base64-encoded, in events and the stored log; the bundle ran without capabilities on a read-only root', async () => {
    const logEvents = events.of(installed.runId).flatMap((event) => (event.type === 'log' ? [event] : []));
    // stdout and stderr are masked apart; their interleaving is up to the engine.
    const stdout = logEvents.flatMap((event) => (event.stream === 'stdout' ? [event.data] : [])).join('');
    expect(stdout).toContain('token=*******\n');
    expect(stdout).toContain('split=*******\n');
    expect(stdout).toContain('b64=*******\n');
    expect(stdout).toMatch(/b64nl=\*{7}[A-Za-z0-9+/=]{0,4}\n/);
    expect(stdout).toMatch(/b64x=[A-Za-z0-9+/=]{0,4}\*{7}[A-Za-z0-9+/=]{0,4}\n/);
    expect(stdout).toMatch(/b64xy=[A-Za-z0-9+/=]{0,4}\*{7}[A-Za-z0-9+/=]{0,4}\n/);
    expect(stdout).toContain('seed=*******\n');
    expect(stdout).toMatch(/uid=65532\nCapEff:\s+0{16}\nNoNewPrivs:\s+1\nrootfs=readonly\ndone\n/);
    const log = (await broker.records.logOf(installed.runId)) ?? '';
    expect(log).toBe(logEvents.map((event) => event.data).join(''));
    expectNoLeak(log);
    expectNoLeak(events.text(installed.runId));
  });

  it('keeps values out of the container config and its files while it runs hardened', async () => {
    const request = runRequest({ installation: 'exec-app', action: 'hold', bundleReference: published.reference, credentialSets: [{ name: 'exec-creds', namespace: '' }] });
    const run = runAdmitted(request).then((outcome) => outcome.state);
    await events.waitFor((event) => event.runId === request.runId && event.type === 'log' && event.data.includes('READY'));
    const [listed] = await docker.listContainers({ filters: JSON.stringify({ label: [`sh.lading.run=${request.runId}`] }) });
    const container = docker.getContainer(listed.Id);
    const details = await container.inspect();
    expect(details.Config.User).toBe('65532:65532');
    expect(details.HostConfig).toMatchObject({ Privileged: false, CapDrop: ['ALL'], ReadonlyRootfs: true });
    expect(details.HostConfig.SecurityOpt).toContain('no-new-privileges:true');
    expect(details.Config.Env?.some((entry) => entry.startsWith('API_TOKEN'))).toBe(false);
    expectNoLeak(JSON.stringify(details), [canary]);
    const forms = leakForms(canary);
    const upperDir = (details.GraphDriver.Data as Record<string, string> | null)?.UpperDir;
    if (upperDir) expect(await filesContaining(upperDir, forms)).toEqual([]);
    expect(await filesContaining(`/var/lib/docker/containers/${details.Id}`, forms)).toEqual([]);

    const exec = await container.exec({ Cmd: ['touch', '/tmp/go'], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    await finished(stream.resume());
    const state = await run;
    expect(state.status, state.message).toBe('succeeded');
    expect(await broker.records.logOf(request.runId)).toContain('released');
  });

  it('runs a bundle whose image says USER root as 65532', async () => {
    const rooted = await buildAndPublishAsRoot(docker, registry, manifest(registryServer.host, rootBundleName));
    const invocation = validateBundle(rooted.bundle).invocationImages[0].image;
    const request = runRequest({ installation: 'exec-root', bundleReference: rooted.reference, credentialSets: [{ name: 'exec-creds', namespace: '' }] });
    const { state } = await runAdmitted(request, seed);
    expect(state.status, state.message).toBe('succeeded');
    // Only now is the image on this host (pulled by digest): it really declares root.
    expect((await docker.getImage(invocation).inspect()).Config.User).toBe('0');
    const uid = (await broker.records.outputsOf('', 'exec-root')).find((output) => output.name === 'uid');
    expect(uid?.value?.trim()).toBe('65532');
    expect(await broker.records.logOf(request.runId)).toContain('uid=65532');
  });

  it('refuses a tag-only bundle reference without creating a container', async () => {
    const since = Date.now();
    const tagged = published.tag;
    expect(runRequestSchema.safeParse({ ...runRequest({ installation: 'exec-tag', bundleReference: tagged }) }).success).toBe(false);
    const request = runRequest({ installation: 'exec-tag', bundleReference: tagged, credentialSets: [{ name: 'exec-creds', namespace: '' }] });
    const state = await executeRun(request, deps);
    expect(state.status).toBe('failed');
    expect(state.message).toBe(`${tagged} is not a reference by digest: runs use digests only`);
    expect(await containerEvents(docker, request.runId, since)).toEqual([]);
    expect(broker.audit.some((entry) => entry.runId === request.runId)).toBe(false);
    expect((await broker.records.getRun(request.runId))?.value.status).toBe('failed');
  });

  it('refuses at run time a bundle.json whose invocation image is a tag', async () => {
    const since = Date.now();
    const bundle = structuredClone(published.bundle) as { invocationImages: Array<{ image: string }> };
    const taggedImage = `${registryServer.host}/bundles/${bundleName}:v0.1.0`;
    bundle.invocationImages[0].image = taggedImage;
    const reference = await publishBundle(registry, bundle as unknown as Record<string, unknown>, `${registryServer.host}/bundles/${bundleName}:tagged-image`, published.invocationDigest);
    const request = runRequest({ installation: 'exec-tagged-image', bundleReference: reference, credentialSets: [{ name: 'exec-creds', namespace: '' }] });
    const state = await executeRun(request, deps);
    expect(state.status).toBe('failed');
    expect(state.message).toContain(`Image reference ${taggedImage} has no digest`);
    expect(await containerEvents(docker, request.runId, since)).toEqual([]);
    expect(broker.audit.some((entry) => entry.runId === request.runId)).toBe(false);
  });

  it('refuses an unknown parameter or action before any lease or record of an installation', async () => {
    const since = Date.now();
    const unknownParameter = runRequest({
      installation: 'exec-bad-input',
      bundleReference: published.reference,
      credentialSets: [{ name: 'exec-creds', namespace: '' }],
      parameters: { nope: 'x' },
    });
    const unknownAction = runRequest({ installation: 'exec-bad-input', action: 'nope', bundleReference: published.reference, credentialSets: [{ name: 'exec-creds', namespace: '' }] });
    const wrongType = runRequest({ installation: 'exec-bad-input', action: 'install', bundleReference: published.reference, credentialSets: [{ name: 'exec-creds', namespace: '' }] });
    const wrongTypeBundle = structuredClone(published.bundle) as Bundle & { definitions: Record<string, { type: string }>; parameters: Record<string, { definition: string }> };
    wrongTypeBundle.definitions[wrongTypeBundle.parameters.greeting.definition].type = 'integer';
    delete (wrongTypeBundle.definitions[wrongTypeBundle.parameters.greeting.definition] as { default?: unknown }).default;
    wrongType.bundleReference = await publishBundle(registry, wrongTypeBundle as unknown as Record<string, unknown>, `${registryServer.host}/bundles/${bundleName}:integer`, published.invocationDigest);
    wrongType.parameters = { greeting: 'howdy' };
    const outcomes = [
      [unknownParameter, 'the bundle has no parameter nope for this action'],
      [unknownAction, 'the bundle has no action nope'],
      [wrongType, 'parameter greeting must be an integer such as 42 or -7, written plainly; got "howdy"'],
    ] as const;
    for (const [request, message] of outcomes) {
      const state = await executeRun(request, deps);
      expect(state.status).toBe('failed');
      expect(state.message).toBe(message);
      expect(broker.audit.some((entry) => entry.runId === request.runId)).toBe(false);
      expect(await containerEvents(docker, request.runId, since)).toEqual([]);
    }
    expect(await broker.records.getInstallation('', 'exec-bad-input')).toBeUndefined();
  });

  it('refuses a run missing a required credential at admission, naming it; a run the broker did not admit gets no lease and no container', async () => {
    const since = Date.now();
    const request = runRequest({ installation: 'exec-nocred', bundleReference: published.reference });
    await expect(broker.admit(request, seed)).rejects.toThrow(/credential api-token is required for action install/);
    const state = await executeRun(request, deps);
    expect(state.status).toBe('failed');
    expect(state.message).toMatch(/^the lease requested at \S+ was not granted: run \w+ was not admitted by the broker$/);
    expect(state.leaseRequestedAt).toBeDefined();
    expectNoLeak(JSON.stringify(state));
    expect(await containerEvents(docker, request.runId, since)).toEqual([]);
    expect(validateClaimResult(state.result)).toMatchObject({ status: 'failed' });
  });

  it('refuses, right before the container would start, a lease that has already expired', async () => {
    const since = Date.now();
    const expired = { ...broker.leaseDependencies, now: () => new Date(Date.now() - 60_000) };
    const request = runRequest({ installation: 'exec-expired', bundleReference: published.reference, credentialSets: [{ name: 'exec-creds', namespace: '' }] });
    const { state } = await runAdmitted(request, seed, { ...deps, requestLease: (lease) => grantLease(lease, expired) });
    expect(state.status).toBe('failed');
    expect(state.message).toBe('the lease expired before the container could start; run the action again');
    expect(broker.audit.find((entry) => entry.runId === request.runId)).toMatchObject({ granted: true });
    expect(await containerEvents(docker, request.runId, since)).toEqual([]);
  });

  it('records that the lease was requested when the broker does not answer', async () => {
    const since = Date.now();
    const request = runRequest({ installation: 'exec-silent', bundleReference: published.reference, credentialSets: [{ name: 'exec-creds', namespace: '' }] });
    const silent = { ...deps, requestLease: () => Promise.reject(new Error('no answer from lading.broker.lease within 30 s')) };
    const { state } = await runAdmitted(request, seed, silent);
    expect(state.status).toBe('failed');
    expect(state.message).toMatch(/^the lease requested at \S+ was not granted: no answer from lading.broker.lease within 30 s$/);
    const record = (await broker.records.getRun(request.runId))?.value;
    expect(record?.leaseRequestedAt).toBe(state.leaseRequestedAt);
    expect(await containerEvents(docker, request.runId, since)).toEqual([]);
  });

  it('records a failing action (exit 3) as failed and keeps the outputs it wrote before failing', async () => {
    const request = runRequest({ installation: 'exec-app', action: 'upgrade', bundleReference: published.reference, credentialSets: [{ name: 'exec-creds', namespace: '' }] });
    const { state } = await runAdmitted(request);
    expect(state.status).toBe('failed');
    expect(state.exitCode).toBe(3);
    expect(state.message).toBe('action upgrade exited with status 3');
    expect(validateClaimResult(state.result)).toMatchObject({ status: 'failed' });
    const output = (await broker.records.outputsOf('', 'exec-app')).find((entry) => entry.name === 'greeting-out');
    expect(output).toMatchObject({ value: 'partial\n', runId: request.runId, sensitive: false });
    expect(await broker.records.logOf(request.runId)).toContain('failing');
    expect((await broker.records.getInstallation('', 'exec-app'))?.value).toMatchObject({ status: 'failed', lastRunId: request.runId });
  });

  it('does nothing for a redelivered request of a finished run', async () => {
    const since = Date.now();
    const before = await broker.records.getRun(installed.runId);
    const state = await executeRun(installed, deps);
    expect(state).toEqual(before?.value);
    expect((await broker.records.getRun(installed.runId))?.revision).toBe(before?.revision);
    expect(await containerEvents(docker, installed.runId, since)).toEqual([]);
  });

  it('records as failed a run a dead runner left running, keeping its claim', async () => {
    const since = Date.now();
    const request = runRequest({ installation: 'exec-orphan', bundleReference: published.reference, credentialSets: [{ name: 'exec-creds', namespace: '' }] });
    const claim = createClaim({ id: newUlid(), installation: 'exec-orphan', action: 'install', bundle: validateBundle(published.bundle), bundleReference: published.reference });
    await broker.records.runs.put(request.runId, {
      runId: request.runId,
      installation: 'exec-orphan',
      namespace: '',
      action: 'install',
      status: 'running',
      runnerId: 'runner-dead',
      credentialSets: request.credentialSets,
      parameterSets: [],
      bundleReference: published.reference,
      claim: claim as unknown as Record<string, unknown>,
      updatedAt: new Date().toISOString(),
    });
    const state = await executeRun(request, deps);
    expect(state.status).toBe('failed');
    expect(state.message).toBe('the runner that took this run stopped before it finished; run the action again');
    expect(await containerEvents(docker, request.runId, since)).toEqual([]);
    const record = (await broker.records.getRun(request.runId))?.value as RunState;
    expect(record.status).toBe('failed');
    expect(record.claim?.id).toBe(claim.id);
    expect(validateClaimResult(record.result)).toMatchObject({ claimId: claim.id, status: 'failed' });
  });
});
