import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsConnection } from '@nats-io/nats-core';
import { endpoints, sealingContexts, type InstallationRecord } from '@lading/contracts';
import { createClaimResult } from '@lading/cnab';
import { openRunState } from '@lading/leases';
import { AtRestCipher, BuiltinStore, generateSealingKeyPair, installationValuesSecretName, seal } from '@lading/secrets';
import { callEndpoint, openBucket } from '@lading/service-kit/internal';
import { connectToNats } from '@lading/service-kit/client';
import { RunRecords } from '@lading/store';
import { administratorCaller, startingRunState, startNatsServer, type TestNatsServer } from '@lading/testkit';
import { deleteInstallation } from '../src/installation-delete.js';
import { startBrokerFixture, type BrokerFixture } from './broker-fixture.js';

const now = new Date().toISOString();
const installationRecord = (name: string, namespace: string, lastRunId: string): InstallationRecord => ({
  name,
  namespace,
  bundleReference: `127.0.0.1:5000/bundles/demo@sha256:${'3'.repeat(64)}`,
  bundleName: 'demo',
  bundleVersion: '0.1.0',
  status: 'installed',
  lastAction: 'install',
  lastRunId,
  created: now,
  modified: now,
});

/**
 * `lading installations delete` through the real broker and runner processes, on a nats-server
 * with the real permissions: records, stored outputs and secrets go, only in the caller's namespace.
 */
describe('deleting an installation', () => {
  let fixture: BrokerFixture;
  let alice: NatsConnection;
  let bob: NatsConnection;
  let runner: NatsConnection;
  let records: RunRecords;

  /** What a finished run of team-a's installation leaves: its run, log, a sensitive output and that output's secret. */
  async function seed(name: string): Promise<string> {
    const runId = randomBytes(12).toString('hex');
    await records.runs.put(runId, startingRunState(runId, { installation: name, namespace: 'team-a', status: 'succeeded', result: createClaimResult({ claimId: runId, status: 'succeeded', outputs: { token: {} } }) }));
    await records.putLog(runId, 'installed');
    await records.putOutput('team-a', name, { name: 'token', sensitive: true, runId });
    await records.putInstallation(installationRecord(name, 'team-a', runId));
    const brokerKey = (await callEndpoint(runner, endpoints.brokerPublicKey, {})).publicKey;
    const sealed = seal(Buffer.from('out-secret'), brokerKey, sealingContexts.output(runId, 'token'));
    await callEndpoint(runner, endpoints.outputsStore, { runId, installation: name, output: 'token', sealed });
    return runId;
  }

  beforeAll(async () => {
    fixture = await startBrokerFixture({ principals: { alice: ['team-a'], bob: ['team-b'] } });
    await fixture.startBroker();
    await fixture.startRunner();
    alice = await fixture.connect('alice');
    bob = await fixture.connect('bob');
    runner = await fixture.connect('runner');
    records = await RunRecords.open((name) => openBucket(runner, name));
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it("refuses another namespace's principal with one sentence, deleting nothing", async () => {
    await seed('blog');
    await expect(callEndpoint(bob, endpoints.installationsDelete, { name: 'blog', namespace: 'team-a' })).rejects.toMatchObject({
      code: 'forbidden',
      message: 'the principal bob may not use the namespace "team-a"',
    });
    expect(await records.getInstallation('team-a', 'blog')).toBeDefined();
    await expect(callEndpoint(bob, endpoints.installationsDelete, { name: 'blog', namespace: 'team-b' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a person calling the runner directly: only the broker asks it to forget', async () => {
    await seed('docs');
    await expect(callEndpoint(alice, endpoints.installationsForget, { name: 'docs', namespace: 'team-a' })).rejects.toThrow();
    expect(await records.getInstallation('team-a', 'docs')).toBeDefined();
  });

  it('deletes its records, its stored outputs and its secrets for a principal of its namespace', async () => {
    const runId = await seed('web');
    expect((await callEndpoint(alice, endpoints.outputsShow, { installation: 'web', namespace: 'team-a', output: 'token', publicKey: generateSealingKeyPair().publicKey })).runId).toBe(runId);
    const reply = await callEndpoint(alice, endpoints.installationsDelete, { name: 'web', namespace: 'team-a' });
    expect(reply).toEqual({ name: 'web', deletedSecrets: 1, deletedRuns: 1 });
    expect(await records.getInstallation('team-a', 'web')).toBeUndefined();
    expect(await records.getRun(runId)).toBeUndefined();
    expect(await records.logOf(runId)).toBeUndefined();
    expect(await records.outputsOf('team-a', 'web')).toEqual([]);
    await expect(callEndpoint(alice, endpoints.installationsShow, { name: 'web', namespace: 'team-a' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('deleting a busy installation', () => {
  let server: TestNatsServer;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectToNats({ natsUrl: server.url, name: 'test' });
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it('is refused whole while a run holds the lock, and goes once the run has ended', async () => {
    const store = await BuiltinStore.open(nc, new AtRestCipher(randomBytes(32)));
    const state = await openRunState(nc, store, generateSealingKeyPair().privateKey);
    await state.records.putInstallation(installationRecord('api', '', 'r'.repeat(24)));
    await store.set(installationValuesSecretName('', 'api'), Buffer.from('{"greeting":"howdy"}'));
    const forgetRecords = async () => state.records.forgetInstallation('', 'api');
    await state.locks.acquire('', 'api', 'running-run');
    await expect(deleteInstallation({ name: 'api', namespace: '' }, administratorCaller, { state, forgetRecords })).rejects.toMatchObject({
      code: 'busy',
      message: 'installation api is busy with run running-run: delete it once that run has finished',
    });
    expect(await state.records.getInstallation('', 'api')).toBeDefined();
    expect(await store.get(installationValuesSecretName('', 'api'))).toBeDefined();
    await state.locks.release('', 'api', 'running-run');
    expect(await deleteInstallation({ name: 'api', namespace: '' }, administratorCaller, { state, forgetRecords })).toEqual({ name: 'api', deletedSecrets: 1, deletedRuns: 0 });
    expect(await store.get(installationValuesSecretName('', 'api'))).toBeUndefined();
    expect(await state.locks.acquire('', 'api', 'next-run')).toMatchObject({ held: true });
  });
});
