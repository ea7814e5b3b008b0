/**
 * Upload sessions belong to whoever began them: another principal holding the session id can
 * neither add a chunk to it nor finish it, and the uploader's own upload still completes.
 */
import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContextLimits } from '@lading/contracts';
import { sha256Digest } from '@lading/oci';
import { ServiceFailure } from '@lading/service-kit/internal';
import { connectToNats } from '@lading/service-kit/client';
import { startNatsServer, type TestNatsServer } from '@lading/testkit';
import { BuildContextStore } from '../src/context-store.js';
import { ContextUploads } from '../src/context-uploads.js';

describe('build context uploads', () => {
  let nats: TestNatsServer;
  let nc: NatsConnection;
  let store: BuildContextStore;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectToNats({ natsUrl: nats.url, name: 'context-uploads-test' });
    store = await BuildContextStore.open(nc);
  });

  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
  });

  it('refuses a chunk from another principal on the uploader’s session, and lets the uploader finish', async () => {
    const uploads = new ContextUploads(store);
    const archive = randomBytes(buildContextLimits.chunkBytes + 100);
    const digest = sha256Digest(archive);
    const size = archive.length;
    const first = archive.subarray(0, buildContextLimits.chunkBytes);
    const rest = archive.subarray(buildContextLimits.chunkBytes);
    const opened = await uploads.receive({ digest, size, offset: 0, data: first.toString('base64') }, 'alice');
    expect(opened).toMatchObject({ received: first.length, stored: false });

    const hijack = await uploads
      .receive({ digest, size, offset: first.length, upload: opened.upload, data: rest.toString('base64') }, 'mallory')
      .catch((caught: unknown) => caught as ServiceFailure);
    expect(hijack).toBeInstanceOf(ServiceFailure);
    expect((hijack as ServiceFailure).code).toBe('not_found');
    expect(await store.has(digest)).toBe(false);

    const finished = await uploads.receive({ digest, size, offset: first.length, upload: opened.upload, data: rest.toString('base64') }, 'alice');
    expect(finished).toEqual({ upload: opened.upload, received: size, stored: true });
    expect((await store.read(digest)).equals(archive)).toBe(true);
  });
});
