/**
 * Reading a stored build context on a real nats-server: what was stored comes back verified, and
 * a context that disappears, is replaced or holds other bytes part-way through a read fails the
 * read at once with one sentence (a read that waited for purged chunks would never end).
 */
import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import type { ObjectStore } from '@nats-io/obj';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectStores } from '@lading/contracts';
import { sha256Digest } from '@lading/oci';
import { openObjectStore, ServiceFailure } from '@lading/service-kit/internal';
import { connectToNats } from '@lading/service-kit/client';
import { startNatsServer, type TestNatsServer } from '@lading/testkit';
import { BuildContextStore } from '../src/context-store.js';

describe('build context store', () => {
  let nats: TestNatsServer;
  let nc: NatsConnection;
  let store: BuildContextStore;
  /** Direct access to the builder's object store, as only a broken permission table would give anyone else. */
  let objects: ObjectStore;

  // Several object-store chunks, so a read can be interfered with between two of them.
  const context = () => randomBytes(600 * 1024);
  const failureOf = (attempt: Promise<unknown>) =>
    attempt.then(
      () => undefined,
      (caught: unknown) => caught as ServiceFailure,
    );

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectToNats({ natsUrl: nats.url, name: 'context-store-test' });
    store = await BuildContextStore.open(nc);
    objects = await openObjectStore(nc, objectStores.buildContexts);
  });

  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
  });

  it('gives back exactly what was stored under its digest, chunk after chunk', async () => {
    const bytes = context();
    const digest = await store.storeOnce(bytes);
    expect(digest).toBe(sha256Digest(bytes));
    const seen: number[] = [];
    expect((await store.read(digest, (index) => void seen.push(index))).equals(bytes)).toBe(true);
    expect(seen.length).toBeGreaterThan(2);
  });

  it('fails a read whose context is deleted part-way', async () => {
    const digest = await store.storeOnce(context());
    const error = await failureOf(store.read(digest, async (index) => void (index === 0 && (await objects.delete(digest)))));
    expect(error).toBeInstanceOf(ServiceFailure);
    expect(error?.code).toBe('not_found');
    expect(error?.message).toBe(`build context ${digest} went missing while the builder read it: upload it again with \`lading build\``);
  });

  it('fails a read whose context is replaced part-way', async () => {
    const digest = await store.storeOnce(context());
    const error = await failureOf(store.read(digest, async (index) => void (index === 0 && (await objects.putBlob({ name: digest }, context())))));
    expect(error?.code).toBe('not_found');
    expect(error?.message).toBe(`build context ${digest} went missing while the builder read it: upload it again with \`lading build\``);
  });

  it('fails a read of bytes that are not the digest they are stored under, and builds nothing from them', async () => {
    const digest = sha256Digest(context());
    await objects.putBlob({ name: digest }, context());
    const error = await failureOf(store.read(digest));
    expect(error?.code).toBe('conflict');
    expect(error?.message).toBe(`build context ${digest} changed while the builder read it, so nothing was built: upload it again with \`lading build\``);
  });
});
