/**
 * The broker's run path on a real nats-server: admission, signed claims, leases decided from
 * broker-owned state only, the installation lock, and the end of a run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buckets, leasePayloadSchema, runSourceKey, sealingContexts } from '@lading/contracts';
import { generateSealingKeyPair, open, seal } from '@lading/secrets';
import { openBucket } from '@lading/service-kit/internal';
import { connectToNats } from '@lading/service-kit/client';
import { RunRecords } from '@lading/store';
import { administratorCaller, startingRunState, startNatsServer, type TestNatsServer } from '@lading/testkit';
import { admitRun, claimRun, finishRun, grantLease, InstallationLocks, LeaseRefusedError } from '../src/internal.js';
import { expectRefusedAdmission, openRunPath, registerRunner, submitRequest, type RunPath, type TestRunner } from './run-path-fixture.js';

const canary = `canary-${randomBytes(8).toString('hex')}`;
const otherTeamCanary = `team-b-${randomBytes(8).toString('hex')}`;

describe('run path', () => {
  let server: TestNatsServer;
  let nc: NatsConnection;
  let path: RunPath;
  let runner: TestRunner;
  let dir: string;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectToNats({ natsUrl: server.url, name: 'test' });
    path = await openRunPath(nc);
    runner = await registerRunner(path, 'runner-1');
    dir = await mkdtemp(join(tmpdir(), 'lading-run-path-'));
    const { store, credentialSets } = path.state;
    await store.set('demo-token', Buffer.from(canary));
    await store.set('team-b/token', Buffer.from(otherTeamCanary));
    await credentialSets.apply({ name: 'demo-creds', credentials: [{ name: 'api-token', source: { secret: 'demo-token' } }] });
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Admits, claims and leases one run; the run ends (lock released) afterwards. */
  async function leaseOf(request: ReturnType<typeof submitRequest>, ttlMs?: number) {
    await admitRun(request, administratorCaller, path.admission);
    await claimRun(runner.claim(request.runId), path.state);
    const keys = generateSealingKeyPair();
    try {
      const reply = await grantLease(runner.lease(request.runId, keys.publicKey, ttlMs), path.lease);
      return leasePayloadSchema.parse(JSON.parse(open(reply.sealed, keys.privateKey, sealingContexts.lease(request.runId)).toString()));
    } finally {
      await finishRun(runner.finish(request.runId), path.state);
    }
  }

  it('admits a run, queues it without sensitive values, and leases its values once to the claiming runner', async () => {
    const request = submitRequest(path);
    await admitRun(request, administratorCaller, path.admission);
    const queued = path.queued.find((item) => item.runId === request.runId);
    expect(queued).toMatchObject({ parameters: {}, sensitiveParameters: ['db-seed'] });
    expect(JSON.stringify(queued)).not.toContain('seed-value');
    await claimRun(runner.claim(request.runId), path.state);
    const keys = generateSealingKeyPair();
    const reply = await grantLease(runner.lease(request.runId, keys.publicKey), path.lease);
    expect(JSON.stringify(reply)).not.toContain(canary);
    const payload = leasePayloadSchema.parse(JSON.parse(open(reply.sealed, keys.privateKey, sealingContexts.lease(request.runId)).toString()));
    expect(payload).toMatchObject({ credentials: { 'api-token': canary }, parameters: { 'db-seed': 'seed-value' } });
    await expect(grantLease(runner.lease(request.runId, keys.publicKey), path.lease)).rejects.toMatchObject({ code: 'conflict' });
    await finishRun(runner.finish(request.runId), path.state);
  });

  it('leases nothing for an admitted run before it is claimed, and a lease opens only as its own run', async () => {
    const request = submitRequest(path);
    await admitRun(request, administratorCaller, path.admission);
    const keys = generateSealingKeyPair();
    await expect(grantLease(runner.lease(request.runId, keys.publicKey), path.lease)).rejects.toMatchObject({
      code: 'forbidden',
      message: `run ${request.runId} has not been claimed`,
    });
    await claimRun(runner.claim(request.runId), path.state);
    const reply = await grantLease(runner.lease(request.runId, keys.publicKey), path.lease);
    const otherRun = randomBytes(12).toString('hex');
    expect(() => open(reply.sealed, keys.privateKey, sealingContexts.lease(otherRun))).toThrow();
    expect(open(reply.sealed, keys.privateKey, sealingContexts.lease(request.runId)).toString()).toContain(request.runId);
    await finishRun(runner.finish(request.runId), path.state);
  });

  it('refuses a lease asked for by a runner other than the claimant, even one that registered the claimant\'s key', async () => {
    const request = submitRequest(path);
    await admitRun(request, administratorCaller, path.admission);
    await claimRun(runner.claim(request.runId), path.state);
    // The signature verifies with the key that claimed the run: only the runner id tells the two apart.
    const twin = await registerRunner(path, undefined, runner.keys);
    const keys = generateSealingKeyPair();
    await expect(grantLease(twin.lease(request.runId, keys.publicKey), path.lease)).rejects.toMatchObject({
      code: 'forbidden',
      message: `run ${request.runId} is claimed by another runner`,
    });
    expect(path.audit.filter((entry) => entry.runId === request.runId && entry.granted)).toEqual([]);
    // The claimant itself still gets its lease: the refusal was about who asked.
    await expect(grantLease(runner.lease(request.runId, keys.publicKey), path.lease)).resolves.toHaveProperty('sealed');
    await finishRun(runner.finish(request.runId), path.state);
  });

  it('caps a lease asked for 120 s at 30 s, and honours a shorter one', async () => {
    const now = Date.now();
    const capped = await leaseOf(submitRequest(path), 120_000);
    expect(Date.parse(capped.expiresAt) - now).toBeLessThanOrEqual(30_000 + (Date.now() - now));
    expect(Date.parse(capped.expiresAt) - now).toBeGreaterThan(5_000);
    const short = await leaseOf(submitRequest(path), 2_000);
    expect(Date.parse(short.expiresAt) - now).toBeLessThanOrEqual(2_000 + (Date.now() - now));
  });

  it('gives a forged run record and a runner credential nothing: only admitted runs claimed with the signing key get a lease', async () => {
    const records = await RunRecords.open((name) => openBucket(nc, name));
    const forgedId = randomBytes(12).toString('hex');
    await records.runs.put(forgedId, startingRunState(forgedId));
    const keys = generateSealingKeyPair();
    await expect(grantLease(runner.lease(forgedId, keys.publicKey), path.lease)).rejects.toMatchObject({ code: 'not_found' });
    await expect(claimRun(runner.claim(forgedId), path.state)).rejects.toMatchObject({ code: 'not_found' });

    const request = submitRequest(path);
    await admitRun(request, administratorCaller, path.admission);
    await claimRun(runner.claim(request.runId), path.state);
    // Another runner, and an attacker who re-registers runner-1's id with its own key, are both refused.
    const other = await registerRunner(path);
    await expect(claimRun(other.claim(request.runId), path.state)).rejects.toMatchObject({ code: 'conflict' });
    await expect(grantLease(other.lease(request.runId, keys.publicKey), path.lease)).rejects.toMatchObject({ code: 'forbidden' });
    const impostor = await registerRunner(path, 'runner-1');
    await expect(grantLease(impostor.lease(request.runId, keys.publicKey), path.lease)).rejects.toMatchObject({ code: 'forbidden' });
    // A signature over another one-time key does not fit this request's key.
    const swapped = { ...runner.lease(request.runId, generateSealingKeyPair().publicKey), publicKey: keys.publicKey };
    await expect(grantLease(swapped, path.lease)).rejects.toMatchObject({ code: 'forbidden' });
    expect(JSON.stringify(path.audit)).not.toContain(canary);
    await path.state.runnerKeys.register('runner-1', runner.keys.publicKey);
    await finishRun(runner.finish(request.runId), path.state);
  });

  it("refuses a secret source naming another namespace's secret, before anything is stored or queued", async () => {
    await path.state.credentialSets.apply({ name: 'lifted', credentials: [{ name: 'api-token', source: { secret: 'team-b/token' } }] });
    await path.state.credentialSets.apply({
      name: 'lifted-set',
      namespace: 'team-a',
      credentials: [{ name: 'api-token', source: { secret: 'set.credentials.team-b.creds.api-token' } }],
    });
    for (const [set, namespace] of [['lifted', ''], ['lifted-set', 'team-a']]) {
      const request = submitRequest(path, { namespace, credentialSets: [{ name: set, namespace }] });
      await expectRefusedAdmission(path, request, administratorCaller, { code: 'forbidden', message: expect.stringMatching(/outside namespace/) });
    }
  });

  it('refuses a caller using a namespace it has no right to', async () => {
    const request = submitRequest(path, { namespace: 'team-b', credentialSets: [] });
    await expect(admitRun(request, { principal: 'alice', namespaces: ['team-a'], admin: false }, path.admission)).rejects.toMatchObject({
      code: 'forbidden',
      message: 'the principal alice may not use the namespace "team-b"',
    });
    expect(await path.state.admissions.get(request.runId)).toBeUndefined();
  });

  it('refuses a run with no principal behind it, before anything is stored, locked or queued', async () => {
    const request = submitRequest(path, { credentialSets: [] });
    await expectRefusedAdmission(path, request, undefined, { code: 'forbidden', message: 'this request must come from a principal, not a service' });
    expect((await path.state.locks.acquire(request.namespace, request.installation, 'after-the-refusal')).held).toBe(true);
    await path.state.locks.release(request.namespace, request.installation, 'after-the-refusal');
  });

  it('delivers path and command sources as the CLI resolved them: the broker reads no path and runs no command', async () => {
    const brokerSide = join(dir, 'broker-side-file');
    await writeFile(brokerSide, 'read-by-the-broker');
    const marker = join(dir, 'command-ran');
    await path.state.credentialSets.apply({ name: 'local-file', credentials: [{ name: 'api-token', source: { path: brokerSide } }] });
    await path.state.parameterSets.apply({ name: 'local-command', parameters: [{ name: 'greeting', source: { command: `touch ${marker}` } }] });
    const sets = { credentialSets: [{ name: 'local-file', namespace: '' }], parameterSets: [{ name: 'local-command', namespace: '' }] };

    const missing = submitRequest(path, sets);
    await expect(admitRun(missing, administratorCaller, path.admission)).rejects.toMatchObject({ code: 'unresolvable', message: expect.stringMatching(/path source, which the lading command resolves/) });

    const sources = {
      [runSourceKey('credentials', sets.credentialSets[0], 'api-token')]: 'resolved-by-the-cli',
      [runSourceKey('parameters', sets.parameterSets[0], 'greeting')]: 'command-output-from-the-cli',
    };
    const payload = await leaseOf(submitRequest(path, sets, { parameters: { 'db-seed': 's' }, sources }));
    expect(payload.credentials['api-token']).toBe('resolved-by-the-cli');
    expect(payload.parameters.greeting).toBe('command-output-from-the-cli');
    await expect(stat(marker)).rejects.toThrow();
  });

  it('refuses an unknown set, an unknown source kind and a missing required parameter before anything is queued', async () => {
    await path.state.credentialSets.apply({ name: 'odd-kind', credentials: [{ name: 'api-token', source: { vaultish: 'x' } }] });
    await path.state.parameterSets.apply({ name: 'replica-command', parameters: [{ name: 'replicas', source: { command: 'echo 0' } }] });
    const cases: Array<[ReturnType<typeof submitRequest>, RegExp]> = [
      [submitRequest(path, { credentialSets: [{ name: 'no-such-set', namespace: '' }] }), /credential set "no-such-set" does not exist/],
      [submitRequest(path, { credentialSets: [{ name: 'odd-kind', namespace: '' }] }), /unknown source kind/],
      [submitRequest(path, {}, { parameters: {} }), /parameter db-seed is required/],
      [submitRequest(path, {}, { parameters: { 'db-seed': 'x', nope: '1' } }), /the bundle has no parameter nope/],
      [submitRequest(path, { action: 'frobnicate' }), /the bundle has no action frobnicate/],
      // Outside the parameter's JSON Schema, given on the command line or resolved by the CLI from a set.
      [submitRequest(path, {}, { parameters: { 'db-seed': 'x', replicas: '9' } }), /^parameter replicas must be at most 5 \(maximum in its definition\)$/],
      [
        submitRequest(path, { parameterSets: [{ name: 'replica-command', namespace: '' }] }, { sources: { [runSourceKey('parameters', { name: 'replica-command', namespace: '' }, 'replicas')]: '0' } }),
        /^parameter replicas must be at least 1 \(minimum in its definition\)$/,
      ],
    ];
    for (const [request, reason] of cases) {
      const queuedBefore = path.queued.length;
      const attempt = admitRun(request, administratorCaller, path.admission);
      await expect(attempt).rejects.toBeInstanceOf(LeaseRefusedError);
      await expect(attempt).rejects.toThrow(reason);
      expect(path.queued.length).toBe(queuedBefore);
      expect(await path.state.admissions.get(request.runId)).toBeUndefined();
    }
    // None of the refusals left the installation locked.
    await leaseOf(submitRequest(path));
  });

  it('refuses a run input sealed for another run', async () => {
    const request = submitRequest(path);
    const lifted = { ...request, input: seal(Buffer.from('{}'), path.brokerPublicKey, sealingContexts.runInput('another-run')) };
    await expect(admitRun(lifted, administratorCaller, path.admission)).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('refuses a second run of a busy installation with one sentence, and admits it once the first has ended', async () => {
    const first = submitRequest(path, { installation: 'busy-app' });
    await admitRun(first, administratorCaller, path.admission);
    const second = submitRequest(path, { installation: 'busy-app' });
    await expect(admitRun(second, administratorCaller, path.admission)).rejects.toMatchObject({
      code: 'busy',
      message: `installation busy-app is busy with run ${first.runId}: run the action again once it has finished, or pass --wait`,
    });
    await claimRun(runner.claim(first.runId), path.state);
    await finishRun(runner.finish(first.runId), path.state);
    await admitRun(second, administratorCaller, path.admission);
  });

  it('deletes run-scoped secrets when the run ends, keeping sensitive outputs', async () => {
    const request = submitRequest(path, { installation: 'secret-app' });
    await admitRun(request, administratorCaller, path.admission);
    await claimRun(runner.claim(request.runId), path.state);
    await path.state.store.set(`run.${request.runId}.param.db-seed`, Buffer.from('x'));
    await path.state.store.set(`run.${request.runId}.output.token`, Buffer.from('y'));
    const deleted = await finishRun(runner.finish(request.runId), path.state);
    expect(deleted).toBe(1);
    const names = await path.state.store.list();
    expect(names).toContain(`run.${request.runId}.output.token`);
    expect(names).not.toContain(`run.${request.runId}.param.db-seed`);
    const ended = (await path.state.admissions.get(request.runId))?.value;
    expect(ended?.endedAt).toBeDefined();
    expect(ended?.input).toBeUndefined();
    // An ended run can be neither admitted again nor claimed again.
    await expect(admitRun(request, administratorCaller, path.admission)).rejects.toMatchObject({ code: 'conflict' });
    await expect(claimRun(runner.claim(request.runId), path.state)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('gives an installation lock to exactly one of 20 concurrent takers, on two connections', async () => {
    const second = await connectToNats({ natsUrl: server.url, name: 'test-2' });
    try {
      const locks = [new InstallationLocks(await openBucket(nc, buckets.installationLocks)), new InstallationLocks(await openBucket(second, buckets.installationLocks))];
      const outcomes = await Promise.all(Array.from({ length: 20 }, (_, index) => locks[index % 2].acquire('', 'contended', `run-${index}`)));
      expect(outcomes.filter((outcome) => outcome.held)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it("releases the lock of a runner whose heartbeat stopped", async () => {
    // The lock bucket's age limit is set when it is created: a server of its own gives it a short one.
    const local = await startNatsServer();
    const lnc = await connectToNats({ natsUrl: local.url, name: 'lapse' });
    try {
      const short = await openRunPath(lnc, { lockTtlMs: 1_000 });
      expect(await short.state.locks.acquire('', 'app', 'dead-run')).toEqual({ held: true });
      expect(await short.state.locks.acquire('', 'app', 'next-run')).toEqual({ held: false, heldBy: 'dead-run' });
      // Nobody renews dead-run's lock: it lapses, and the next run gets it. The bucket's age limit
      // removes the entry without a delete marker (nats-server 2.9 has none for it), so no watcher
      // hears it go: asking again is the only way to see it has.
      let outcome = await short.state.locks.acquire('', 'app', 'next-run');
      while (!outcome.held) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        outcome = await short.state.locks.acquire('', 'app', 'next-run');
      }
      expect(outcome).toEqual({ held: true });
    } finally {
      await lnc.close();
      await local.stop();
    }
  });
});
