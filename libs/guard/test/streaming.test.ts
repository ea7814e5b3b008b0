import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGuardStack, type GuardStack } from './support/guard-stack.js';
import { pushBlob, rawRequest } from './support/oci-http.js';

const mib = 1024 * 1024;
// Large against the noise: garbage collection timing and socket buffers move the measured growth
// by up to ~55 MiB from run to run, so a 64 MiB blob could not tell streaming from buffering.
const blobMiB = 256;

// A full collection before each sample measures what is retained, not garbage awaiting collection.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Live memory that a buffered blob would occupy, in this thread and the guard's data plane. */
async function memoryInUse(stack: GuardStack): Promise<number> {
  collectGarbage();
  const own = process.memoryUsage();
  const dataPlane = await stack.replicas[0]!.frontDoor.dataPlaneMemory();
  return own.heapUsed + own.arrayBuffers + dataPlane.heapUsed + dataPlane.arrayBuffers;
}

/** The blob, produced on the fly from one random MiB, so the test itself never holds the blob. */
function blobChunks(seed: Buffer): Buffer[] {
  return Array.from({ length: blobMiB }, (_, index) => {
    const chunk = Buffer.from(seed);
    chunk.writeUInt32BE(index, 0);
    return chunk;
  });
}

/** The same chunks, made as the upload asks for them; `between` runs before each one. */
async function* lazyChunks(seed: Buffer, between: (index: number) => Promise<void>): AsyncGenerator<Buffer> {
  for (let index = 0; index < blobMiB; index++) {
    await between(index);
    const chunk = Buffer.from(seed);
    chunk.writeUInt32BE(index, 0);
    yield chunk;
  }
}

describe('blob traffic through the registry guard', () => {
  let stack: GuardStack;
  let guard: string;

  beforeAll(async () => {
    stack = await startGuardStack(1);
    guard = stack.replicas[0]!.url;
  });
  afterAll(async () => stack?.stop());

  it(`streams a ${blobMiB} MiB chunked upload and its download without holding the blob in memory`, async () => {
    const seed = randomBytes(mib);
    const hash = createHash('sha256');
    for (const chunk of blobChunks(seed)) hash.update(chunk);
    const digest = `sha256:${hash.digest('hex')}`;

    const started = await rawRequest(guard, 'POST', '/v2/big/blob/blobs/uploads/');
    expect(started.status).toBe(202);
    const location = new URL(started.headers.location as string);
    expect(location.origin).toBe(guard);

    const baseline = await memoryInUse(stack);
    let peak = baseline;
    // Sample while the upload is under way: by then earlier chunks have passed through the guard.
    const sample = async (index: number) => {
      if (index > 0 && index % 16 === 0) peak = Math.max(peak, await memoryInUse(stack));
    };
    const patched = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(
        {
          host: location.hostname,
          port: location.port,
          method: 'PATCH',
          path: `${location.pathname}${location.search}`,
          headers: { 'content-type': 'application/octet-stream' },
        },
        resolve,
      );
      req.on('error', reject);
      Readable.from(lazyChunks(seed, sample), { objectMode: false }).pipe(req);
    });
    patched.resume();
    expect(patched.statusCode).toBe(202);
    expect(patched.headers.range).toBe(`0-${blobMiB * mib - 1}`);

    const next = new URL(patched.headers.location as string);
    expect(next.origin).toBe(guard);
    next.searchParams.set('digest', digest);
    const finished = await rawRequest(guard, 'PUT', `${next.pathname}${next.search}`);
    expect(finished.status).toBe(201);
    expect(finished.headers['docker-content-digest']).toBe(digest);

    const download = createHash('sha256');
    let received = 0;
    const fetched = await fetch(`${guard}/v2/big/blob/blobs/${digest}`);
    expect(fetched.status).toBe(200);
    for await (const chunk of fetched.body as unknown as AsyncIterable<Uint8Array>) {
      download.update(chunk);
      if (++received % 256 === 0) peak = Math.max(peak, await memoryInUse(stack));
    }
    expect(`sha256:${download.digest('hex')}`).toBe(digest);
    console.log(`peak growth while streaming ${blobMiB} MiB: ${((peak - baseline) / mib).toFixed(1)} MiB`);
    // Both ends run in this process: a proxy that buffered the blob would add all of it here.
    expect(peak - baseline).toBeLessThan((blobMiB / 2) * mib);
  });

  it('passes blob HEAD, cross-repository mounts and tag lists through, pointing Locations at the guard', async () => {
    const bytes = randomBytes(1024);
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    expect(await pushBlob(guard, 'mount/source', bytes)).toBe(digest);

    const head = await rawRequest(guard, 'HEAD', `/v2/mount/source/blobs/${digest}`);
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('1024');

    const mounted = await rawRequest(guard, 'POST', `/v2/mount/target/blobs/uploads/?mount=${digest}&from=mount/source`);
    expect(mounted.status).toBe(201);
    expect(mounted.headers.location).toBe(`${guard}/v2/mount/target/blobs/${digest}`);
    expect((await rawRequest(stack.registry.url, 'HEAD', `/v2/mount/target/blobs/${digest}`)).status).toBe(200);

    expect((await rawRequest(guard, 'GET', '/v2/mount/target/tags/list')).status).toBe(404);
    const catalog = await rawRequest(guard, 'GET', '/v2/_catalog');
    expect(JSON.parse(catalog.body)).toEqual({ repositories: expect.arrayContaining(['mount/source', 'mount/target']) });
  });
});
