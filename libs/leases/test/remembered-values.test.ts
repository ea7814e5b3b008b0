/**
 * An installation remembers the parameter values of its last successful runs: later actions reuse
 * them unless given again, the broker alone decides it, a sensitive value reaches only the lease,
 * and nothing crosses namespaces. On a real nats-server, with every stored message searched.
 */
import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leasePayloadSchema, sealingContexts, type RunStatus } from '@lading/contracts/internal';
import { generateSealingKeyPair, open } from '@lading/secrets';
import { startingRunState } from '@lading/testkit';
import { admitRun, claimRun, finishRun, grantLease } from '../src/internal.js';
import { startRunPathSuite, submitRequest, type RunPath, type RunPathSuite, type TestRunner } from './run-path-fixture.js';

const canary = `seed-${randomBytes(8).toString('hex')}`;
const alice = { principal: 'alice', namespaces: ['team-a'], admin: false };
const bob = { principal: 'bob', namespaces: ['team-b'], admin: false };
const creds = { name: 'shop-creds', namespace: 'team-a' };

describe('remembered parameter values', () => {
  let suite: RunPathSuite;
  let nc: NatsConnection;
  let path: RunPath;
  let runner: TestRunner;

  beforeAll(async () => {
    suite = await startRunPathSuite();
    ({ nc, path, runner } = suite);
    await path.state.store.set('team-a/token', Buffer.from('team-a-token'));
    for (const namespace of ['team-a', 'team-b']) {
      await path.state.credentialSets.apply({ name: 'shop-creds', namespace, credentials: [{ name: 'api-token', source: { secret: 'token' } }] });
    }
  });
  afterAll(() => suite?.stop());

  /** One run as a runner takes it: admitted, claimed, leased, recorded with `status`, ended. */
  async function run(installation: string, action: string, parameters: Record<string, string>, status: RunStatus = 'succeeded') {
    const namespace = 'team-a';
    const request = submitRequest(path, { action, installation, namespace, credentialSets: [creds] }, { parameters });
    const admission = await admitRun(request, alice, path.admission);
    await claimRun(runner.claim(request.runId), path.state);
    const keys = generateSealingKeyPair();
    const reply = await grantLease(runner.lease(request.runId, keys.publicKey), path.lease);
    const lease = leasePayloadSchema.parse(JSON.parse(open(reply.sealed, keys.privateKey, sealingContexts.lease(request.runId)).toString()));
    await path.state.records.runs.put(request.runId, startingRunState(request.runId, { installation, namespace, action, status }));
    await finishRun(runner.finish(request.runId), path.state);
    return { admission, lease, queued: path.queued.find((item) => item.runId === request.runId) };
  }

  it('reuses the install values on upgrade: the sensitive one in the lease alone, the other on the queue as given', async () => {
    await run('shop', 'install', { 'db-seed': canary, greeting: 'howdy' });
    const { admission, lease, queued } = await run('shop', 'upgrade', {});
    expect(admission.reusedParameters?.sort()).toEqual(['db-seed', 'greeting']);
    expect(lease.parameters).toEqual({ 'db-seed': canary, greeting: 'howdy' });
    expect(queued).toMatchObject({ parameters: { greeting: 'howdy' }, sensitiveParameters: ['db-seed'] });
    expect(JSON.stringify(queued)).not.toContain(canary);
    expect(JSON.stringify(admission)).not.toContain(canary);
  });

  it('lets --param override a remembered value, remembers the override, and forgets nothing after a failed run', async () => {
    await run('cart', 'install', { 'db-seed': canary, greeting: 'howdy' });
    expect((await run('cart', 'upgrade', { greeting: 'hi' })).lease.parameters.greeting).toBe('hi');
    await run('cart', 'upgrade', { greeting: 'broken' }, 'failed');
    const { lease } = await run('cart', 'uninstall', {});
    expect(lease.parameters).toEqual({ 'db-seed': canary, greeting: 'hi' });
  });

  it('reuses nothing on install, which starts from what it is given', async () => {
    await run('till', 'install', { 'db-seed': canary });
    const request = submitRequest(path, { action: 'install', installation: 'till', namespace: 'team-a', credentialSets: [creds] }, { parameters: {} });
    await expect(admitRun(request, alice, path.admission)).rejects.toMatchObject({
      code: 'unresolvable',
      message: 'parameter db-seed is required: pass --param db-seed=VALUE or a parameter set',
    });
  });

  it("gives another namespace's principal none of the values, for that installation or one of the same name", async () => {
    await run('stock', 'install', { 'db-seed': canary });
    const intruding = submitRequest(path, { action: 'upgrade', installation: 'stock', namespace: 'team-a', credentialSets: [] }, { parameters: {} });
    await expect(admitRun(intruding, bob, path.admission)).rejects.toMatchObject({ code: 'forbidden' });
    const sameName = submitRequest(path, { action: 'upgrade', installation: 'stock', namespace: 'team-b', credentialSets: [{ ...creds, namespace: 'team-b' }] }, { parameters: {} });
    await expect(admitRun(sameName, bob, path.admission)).rejects.toMatchObject({ code: 'unresolvable', message: expect.stringContaining('parameter db-seed is required') });
  });

  it('keeps the sensitive value out of every stored message: records, admissions, queue and store alike', async () => {
    await run('ledger', 'install', { 'db-seed': canary });
    await run('ledger', 'upgrade', {});
    const jsm = await jetstreamManager(nc);
    let searched = 0;
    for await (const stream of jsm.streams.list()) {
      for (let seq = stream.state.first_seq; seq <= stream.state.last_seq && stream.state.messages > 0; seq += 1) {
        const message = await jsm.streams.getMessage(stream.config.name, { seq }).catch(() => undefined);
        if (!message) continue;
        searched += 1;
        expect(Buffer.from(message.data).toString('utf8'), `${stream.config.name} #${seq}`).not.toContain(canary);
      }
    }
    expect(searched).toBeGreaterThan(5);
  });
});
