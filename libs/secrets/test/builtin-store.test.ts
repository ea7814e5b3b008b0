import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buckets } from '@lading/contracts';
import { startNatsServer, type TestNatsServer } from '@lading/testkit';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rewriteKeyWithCas } from '../src/kv-reencrypt.js';
import { AtRestCipher, BuiltinStore, SecretStoreError } from '../src/internal.js';

const CANARY = 'canary-7d1e-builtin-store-value';

let server: TestNatsServer;
let nc: NatsConnection;
const oldCipher = new AtRestCipher(Buffer.alloc(32, 1));
const newCipher = new AtRestCipher(Buffer.alloc(32, 2));

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
});
afterAll(async () => {
  await nc?.drain();
  await server?.stop();
});

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(full)));
    else if (entry.isFile()) found.push(full);
  }
  return found;
}

async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the records never reached the JetStream store directory');
}

function containsCanary(bytes: Uint8Array): boolean {
  const buffer = Buffer.from(bytes);
  const canary = Buffer.from(CANARY);
  return [canary, Buffer.from(canary.toString('base64')), Buffer.from(canary.toString('base64').replace(/=+$/, ''))].some(
    (needle) => buffer.includes(needle),
  );
}

describe('BuiltinStore on a real nats-server', () => {
  it('sets, gets, lists and deletes', async () => {
    // Its own bucket: the listing is exact whatever the other tests stored before it.
    const store = await BuiltinStore.open(nc, oldCipher, { bucket: 'lading_secrets_listing_test' });
    await store.set('db-password', Buffer.from(CANARY));
    await store.set('team/api-token', Buffer.from(`${CANARY}-2`));
    expect((await store.get('db-password'))?.toString()).toBe(CANARY);
    expect(await store.list()).toEqual(['db-password', 'team/api-token']);
    await store.delete('team/api-token');
    expect(await store.get('team/api-token')).toBeUndefined();
    expect(await store.list()).toEqual(['db-password']);
    expect(await store.get('never-set')).toBeUndefined();
  });

  it.each(['../etc/passwd', '/abs', 'a/../b', 'a//b', '.hidden', 'trailing.', 'sp ace', '*', 'a>b', ''])(
    'refuses the name %j and changes nothing',
    async (name) => {
      const store = await BuiltinStore.open(nc, oldCipher);
      const before = await store.list();
      await expect(store.set(name, Buffer.from('x'))).rejects.toThrow(SecretStoreError);
      await expect(store.get(name)).rejects.toThrow(/is not allowed/);
      expect(await store.list()).toEqual(before);
    },
  );

  it('keeps only ciphertext in the KV and in the server store directory', async () => {
    const store = await BuiltinStore.open(nc, oldCipher);
    await store.set('disk-check', Buffer.from(CANARY));
    const kv = await new Kvm(nc).open(buckets.secrets);
    const raw = await kv.get('disk-check');
    expect(raw?.value.length).toBeGreaterThan(0);
    expect(containsCanary(raw!.value)).toBe(false);
    // The server writes message blocks asynchronously: wait until this record is on disk, so the
    // search below covers the files that really hold the records.
    const recordBytes = Buffer.from(raw!.value);
    await waitUntil(async () => {
      for (const file of await filesUnder(server.storeDir)) if ((await readFile(file)).includes(recordBytes)) return true;
      return false;
    });
    for (const file of await filesUnder(server.storeDir)) {
      expect(containsCanary(await readFile(file)), file).toBe(false);
    }
  });

  it('refuses a record copied under another name', async () => {
    const store = await BuiltinStore.open(nc, oldCipher);
    await store.set('source-name', Buffer.from(CANARY));
    const kv = await new Kvm(nc).open(buckets.secrets);
    await kv.put('copied-name', (await kv.get('source-name'))!.value);
    await expect(store.get('copied-name')).rejects.toThrow(/altered or moved from another name/);
    await store.delete('copied-name');
  });

  it('rotates every entry to the new key; the old key alone no longer decrypts', async () => {
    const bucket = 'lading_secrets_rotation_test';
    const store = await BuiltinStore.open(nc, oldCipher, { bucket });
    await store.set('one', Buffer.from(`${CANARY}-1`));
    await store.set('two', Buffer.from(`${CANARY}-2`));
    const { rewritten } = await store.rotate(newCipher);
    expect(rewritten).toBe(2);
    expect(store.keyId).toBe(newCipher.keyId);
    expect((await store.get('one'))?.toString()).toBe(`${CANARY}-1`);
    const kv = await new Kvm(nc).open(bucket);
    for (const name of ['one', 'two']) {
      const record = JSON.parse(Buffer.from((await kv.get(name))!.value).toString()) as { kid: string };
      expect(record.kid).toBe(newCipher.keyId);
    }
    const oldOnly = await BuiltinStore.open(nc, oldCipher, { bucket });
    await expect(oldOnly.get('two')).rejects.toThrow(/which this store does not hold/);
    const newOnly = await BuiltinStore.open(nc, newCipher, { bucket });
    expect((await newOnly.get('two'))?.toString()).toBe(`${CANARY}-2`);
    expect((await store.rotate(newCipher)).rewritten).toBe(0);
  });

  it('keeps a write that races the re-encryption of the same key', async () => {
    const bucket = 'lading_secrets_cas_test';
    const store = await BuiltinStore.open(nc, oldCipher, { bucket });
    await store.set('raced', Buffer.from('first'));
    const kv = await new Kvm(nc).open(bucket);
    const otherWriter = await BuiltinStore.open(nc, oldCipher, { bucket });
    let calls = 0;
    const outcome = await rewriteKeyWithCas(kv, 'raced', async (bytes) => {
      calls += 1;
      // Between this read and the compare-and-set, another replica writes a new value.
      if (calls === 1) await otherWriter.set('raced', Buffer.from('concurrent'));
      return Buffer.from(`rewritten:${Buffer.from(bytes).length}`);
    });
    expect(outcome).toBe('rewritten');
    expect(calls).toBe(2);
  });

  it('rotation keeps a value written concurrently through the store', async () => {
    const bucket = 'lading_secrets_rotation_race_test';
    const store = await BuiltinStore.open(nc, oldCipher, { bucket });
    for (let i = 0; i < 20; i += 1) await store.set(`k${i}`, Buffer.from(`v${i}`));
    const rotation = store.rotate(newCipher);
    await store.set('k19', Buffer.from('written during rotation'));
    await rotation;
    expect((await store.get('k19'))?.toString()).toBe('written during rotation');
    const newOnly = await BuiltinStore.open(nc, newCipher, { bucket });
    for (let i = 0; i < 19; i += 1) expect((await newOnly.get(`k${i}`))?.toString()).toBe(`v${i}`);
  });
});
