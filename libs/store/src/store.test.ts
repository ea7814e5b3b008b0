import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buckets } from '@lading/contracts';
import { openBucket } from '@lading/service-kit/internal';
import { connectToNats } from '@lading/service-kit/client';
import { startNatsServer, type TestNatsServer } from '@lading/testkit';
import { RunRecords, SetStore } from './index.js';

describe('record stores on a real JetStream KV', () => {
  let server: TestNatsServer;
  let nc: NatsConnection;
  let sets: SetStore;
  let records: RunRecords;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectToNats({ natsUrl: server.url, name: 'test' });
    sets = new SetStore(await openBucket(nc, buckets.credentialSets), 'credentials');
    records = new RunRecords({
      installations: await openBucket(nc, buckets.installations),
      runs: await openBucket(nc, buckets.runs),
      outputs: await openBucket(nc, buckets.outputs),
      logs: await openBucket(nc, buckets.logs),
    });
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it('stores a credential set of mappings and lists it by namespace', async () => {
    const key = await sets.apply({
      name: 'demo',
      namespace: 'team-a',
      labels: { env: 'dev' },
      credentials: [{ name: 'api-token', source: { secret: 'demo-token' } }],
    });
    expect(key).toEqual({ name: 'demo', namespace: 'team-a' });
    expect(await sets.mappings(key)).toEqual([{ name: 'api-token', source: { secret: 'demo-token' } }]);
    expect((await sets.list('team-a')).map((set) => set.name)).toEqual(['demo']);
    expect(await sets.list('team-b')).toEqual([]);
  });

  it('refuses a set that does not follow the CNAB schema and stores nothing', async () => {
    await expect(sets.apply({ name: 'broken', credentials: [{ source: { env: 'X' } }] })).rejects.toThrow(/credential/i);
    expect(await sets.get({ name: 'broken', namespace: '' })).toBeUndefined();
  });

  it('refuses a set name that could not be a key', async () => {
    await expect(sets.apply({ name: '../etc', credentials: [] })).rejects.toThrow();
  });

  it('deletes a set', async () => {
    await sets.apply({ name: 'gone', credentials: [] });
    expect(await sets.delete({ name: 'gone', namespace: '' })).toBe(true);
    expect(await sets.delete({ name: 'gone', namespace: '' })).toBe(false);
  });

  it('caps stored logs to the tail', async () => {
    await records.putLog('run1', 'x'.repeat(600 * 1024) + 'END');
    expect((await records.logOf('run1'))?.endsWith('END')).toBe(true);
  });
});
