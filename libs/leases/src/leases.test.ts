import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buckets, leasePayloadSchema, sealingContexts, type LeaseAuditEntry } from '@lading/contracts';
import { AtRestCipher, BuiltinStore, generateSealingKeyPair, open } from '@lading/secrets';
import { connectToNats, openBucket } from '@lading/service-kit';
import { RunRecords, SetStore } from '@lading/store';
import { startingRunState, startNatsServer, type TestNatsServer } from '@lading/testkit';
import { grantLease, LeaseRefusedError, type LeaseDependencies } from './index.js';

const canary = `canary-${randomBytes(8).toString('hex')}`;

describe('leases', () => {
  let server: TestNatsServer;
  let nc: NatsConnection;
  let deps: LeaseDependencies;
  const audit: LeaseAuditEntry[] = [];

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectToNats({ natsUrl: server.url, name: 'test' });
    const store = await BuiltinStore.open(nc, new AtRestCipher(randomBytes(32)));
    await store.set('demo-token', Buffer.from(canary));
    const credentialSets = new SetStore(await openBucket(nc, buckets.credentialSets), 'credentials');
    await credentialSets.apply({ name: 'demo-creds', credentials: [{ name: 'api-token', source: { secret: 'demo-token' } }] });
    await credentialSets.apply({ name: 'other-team', namespace: 'team-b', credentials: [{ name: 'api-token', source: { value: 'x' } }] });
    deps = {
      runs: new RunRecords({
        installations: await openBucket(nc, buckets.installations),
        runs: await openBucket(nc, buckets.runs),
        outputs: await openBucket(nc, buckets.outputs),
        logs: await openBucket(nc, buckets.logs),
      }),
      credentialSets,
      parameterSets: new SetStore(await openBucket(nc, buckets.parameterSets), 'parameters'),
      store,
      redemptions: await openBucket(nc, buckets.leases),
      env: {},
      audit: async (entry) => void audit.push(entry),
    };
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it('seals the run values to the runner key, once, for at most 30 seconds', async () => {
    await deps.runs.runs.put('run-ok', startingRunState('run-ok'));
    const keys = generateSealingKeyPair();
    const reply = await grantLease({ runId: 'run-ok', runnerId: 'runner-1', publicKey: keys.publicKey }, deps);
    expect(JSON.stringify(reply)).not.toContain(canary);
    const payload = leasePayloadSchema.parse(JSON.parse(open(reply.sealed, keys.privateKey, sealingContexts.lease('run-ok')).toString()));
    expect(payload.credentials['api-token']).toBe(canary);
    expect(Date.parse(payload.expiresAt) - Date.now()).toBeLessThanOrEqual(30_000);

    const replay = grantLease({ runId: 'run-ok', runnerId: 'runner-1', publicKey: keys.publicKey }, deps);
    await expect(replay).rejects.toMatchObject({ code: 'conflict' });
  });

  it('does not open for another run context', async () => {
    await deps.runs.runs.put('run-ctx', startingRunState('run-ctx'));
    const keys = generateSealingKeyPair();
    const reply = await grantLease({ runId: 'run-ctx', runnerId: 'runner-1', publicKey: keys.publicKey }, deps);
    expect(() => open(reply.sealed, keys.privateKey, sealingContexts.lease('run-other'))).toThrow();
  });

  it('refuses a runner that did not claim the run', async () => {
    await deps.runs.runs.put('run-claimed', startingRunState('run-claimed'));
    const attempt = grantLease({ runId: 'run-claimed', runnerId: 'runner-2', publicKey: generateSealingKeyPair().publicKey }, deps);
    await expect(attempt).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('refuses a run that is not starting', async () => {
    await deps.runs.runs.put('run-running', startingRunState('run-running', { status: 'running' }));
    const attempt = grantLease({ runId: 'run-running', runnerId: 'runner-1', publicKey: generateSealingKeyPair().publicKey }, deps);
    await expect(attempt).rejects.toBeInstanceOf(LeaseRefusedError);
  });

  it('refuses an unknown run', async () => {
    const attempt = grantLease({ runId: 'nope', runnerId: 'runner-1', publicKey: generateSealingKeyPair().publicKey }, deps);
    await expect(attempt).rejects.toMatchObject({ code: 'not_found' });
  });

  it("refuses another namespace's set", async () => {
    await deps.runs.runs.put('run-foreign', startingRunState('run-foreign', { credentialSets: [{ name: 'other-team', namespace: 'team-b' }] }));
    const attempt = grantLease({ runId: 'run-foreign', runnerId: 'runner-1', publicKey: generateSealingKeyPair().publicKey }, deps);
    await expect(attempt).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('refuses a run missing a required credential, naming it', async () => {
    await deps.runs.runs.put('run-missing', startingRunState('run-missing', { credentialSets: [] }));
    const attempt = grantLease({ runId: 'run-missing', runnerId: 'runner-1', publicKey: generateSealingKeyPair().publicKey }, deps);
    await expect(attempt).rejects.toThrow(/credential api-token is required for action install/);
  });

  // Each audit test makes its own decisions: it passes alone and in any order.
  it('audits every decision without values', async () => {
    await deps.runs.runs.put('run-audited', startingRunState('run-audited'));
    await grantLease({ runId: 'run-audited', runnerId: 'runner-1', publicKey: generateSealingKeyPair().publicKey }, deps);
    await expect(grantLease({ runId: 'run-audited', runnerId: 'runner-2', publicKey: generateSealingKeyPair().publicKey }, deps)).rejects.toMatchObject({ code: 'forbidden' });
    const entries = audit.filter((entry) => entry.runId === 'run-audited');
    expect(entries).toMatchObject([
      { granted: true, runnerId: 'runner-1', names: ['api-token'] },
      { granted: false, runnerId: 'runner-2', names: [], reason: 'run run-audited is claimed by another runner' },
    ]);
    expect(JSON.stringify(audit)).not.toContain(canary);
  });

  it('names the installation in the audit of a known run, and none for an unknown one', async () => {
    await deps.runs.runs.put('run-named', startingRunState('run-named'));
    await grantLease({ runId: 'run-named', runnerId: 'runner-1', publicKey: generateSealingKeyPair().publicKey }, deps);
    await expect(grantLease({ runId: 'run-unknown', runnerId: 'runner-1', publicKey: generateSealingKeyPair().publicKey }, deps)).rejects.toMatchObject({ code: 'not_found' });
    expect(audit.find((entry) => entry.runId === 'run-named')?.installation).toBe('demo');
    expect(audit.find((entry) => entry.runId === 'run-unknown')).toMatchObject({ granted: false });
    expect(audit.find((entry) => entry.runId === 'run-unknown')?.installation).toBeUndefined();
  });
});
