import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startRegistry, startRegistryRelay, type TestRegistry } from '@lading/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { prepareBundleIndex, RegistryClient } from '../src/index.js';
import { sha256Digest } from '../src/internal.js';
import { httpAnswer } from '../src/http-answer.js';
import { pushTinyImage } from './support/tiny-image.js';
import { startTokenRegistry } from './support/token-registry.js';

const run = promisify(execFile);
let registry: TestRegistry;

beforeAll(async () => {
  registry = await startRegistry();
});

afterAll(async () => {
  await registry?.stop();
});

it('reads header fields of a HEAD answer as fetch does: names without case, repeated fields joined, absent ones null', () => {
  const answer = httpAnswer('http://registry/v2/', 200, 'OK', ['Docker-Content-Digest', 'sha256:aa', 'Vary', 'Accept', 'vary', 'Cookie']);
  expect(answer.headers.get('docker-content-digest')).toBe('sha256:aa');
  expect(answer.headers.get('VARY')).toBe('Accept, Cookie');
  expect(answer.headers.get('location')).toBeNull();
  expect([...answer.headers.keys()]).toEqual(['docker-content-digest', 'vary']);
  expect(answer).toMatchObject({ ok: true, status: 200, body: null });
  expect(httpAnswer('http://registry/v2/', 404, 'Not Found', []).ok).toBe(false);
});

it('refuses a status that is no HTTP answer', () => {
  expect(() => httpAnswer('http://registry/v2/', 99, '', [])).toThrow('the registry answered an invalid HTTP status 99');
  expect(() => httpAnswer('http://registry/v2/', 600, '', [])).toThrow('invalid HTTP status 600');
});

it("pins a reference without loading Node's fetch implementation", async () => {
  const image = await pushTinyImage(new RegistryClient({ registry: registry.host }), 'head/pin', 'pin');
  const script = [
    `import { RegistryClient } from ${JSON.stringify(join(import.meta.dirname, '../src/index.ts'))};`,
    `const head = await new RegistryClient({ registry: ${JSON.stringify(registry.host)} }).headManifest('head/pin', ${JSON.stringify(image.digest)});`,
    `console.log(JSON.stringify({ digest: head?.digest, fetchLoaded: process.moduleLoadList.some((name) => name.includes('undici')) }));`,
  ].join('\n');
  const { stdout } = await run(process.execPath, ['--conditions=@lading/source', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: import.meta.dirname });
  // Control: the HEAD was answered, with the digest pushed.
  expect(JSON.parse(stdout)).toEqual({ digest: image.digest, fetchLoaded: false });
});

/** Runs `body` (a module's statements, `client` and `digest` in scope) in a fresh Node, and says what it printed and whether fetch's implementation was loaded. */
async function inFreshNode(setup: string, body: string): Promise<{ result: unknown; fetchLoaded: boolean }> {
  const script = [
    `import { RegistryClient, pullBundle } from ${JSON.stringify(join(import.meta.dirname, '../src/index.ts'))};`,
    setup,
    `const result = await (async () => { ${body} })();`,
    `console.log(JSON.stringify({ result, fetchLoaded: process.moduleLoadList.some((name) => name.includes('undici')) }));`,
  ].join('\n');
  const { stdout } = await run(process.execPath, ['--conditions=@lading/source', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: import.meta.dirname });
  return JSON.parse(stdout) as { result: unknown; fetchLoaded: boolean };
}

it("reads a whole bundle (index, config manifest, bundle.json, invocation image) over kept connections, without fetch's implementation", async () => {
  const client = new RegistryClient({ registry: registry.host });
  const invocation = await pushTinyImage(client, 'kept/bundle', 'kept');
  const bundle = { schemaVersion: 'v1.2.0', name: 'kept', version: '0.1.0', invocationImages: [{ imageType: 'docker', image: `${registry.host}/kept/bundle@${invocation.digest}`, contentDigest: invocation.digest }] };
  const index = await prepareBundleIndex(client, 'kept/bundle', bundle, invocation);
  await client.putManifest('kept/bundle', index.digest, index.mediaType, index.body);
  const relay = await startRegistryRelay(`http://${registry.host}`);
  try {
    const { result, fetchLoaded } = await inFreshNode(
      `const client = new RegistryClient({ registry: ${JSON.stringify(relay.host)} });`,
      `const pulled = await pullBundle(client, 'kept/bundle', ${JSON.stringify(index.digest)}); return { name: pulled.bundle.name, indexDigest: pulled.indexDigest };`,
    );
    expect(result).toEqual({ name: 'kept', indexDigest: index.digest });
    expect(fetchLoaded).toBe(false);
    // Four requests (two manifest GETs, a blob GET, a HEAD), one after another over one connection.
    expect(relay.requests()).toBe(4);
    expect(relay.connections()).toBe(1);
  } finally {
    await relay.stop();
  }
});

it('reads a blob whole over a kept connection, and names a blob the registry does not hold', async () => {
  const client = new RegistryClient({ registry: registry.host });
  const image = await pushTinyImage(client, 'kept/blob', 'blob');
  expect(await client.getBlobBuffer('kept/blob', sha256Digest(image.config))).toEqual(image.config);
  // The registry answers 404 for a digest it does not hold, and the read says which blob.
  await expect(client.getBlobBuffer('kept/blob', `sha256:${'0'.repeat(64)}`)).rejects.toThrow(`Fetching blob kept/blob@sha256:${'0'.repeat(64)}`);
});

it("asks a token service over kept connections too, without fetch's implementation", async () => {
  const tokens = await startTokenRegistry({ writer: 'writer-secret', reader: 'reader-secret' }, ['reader']);
  try {
    const writer = new RegistryClient({ registry: tokens.host, credentials: { username: 'writer', password: 'writer-secret' } });
    const image = await pushTinyImage(writer, 'kept/token', 'token');
    const before = tokens.tokenRequests.length;
    const { result, fetchLoaded } = await inFreshNode(
      `const client = new RegistryClient({ registry: ${JSON.stringify(tokens.host)}, credentials: { username: 'reader', password: 'reader-secret' } });`,
      `return (await client.getManifest('kept/token', ${JSON.stringify(image.digest)})).digest;`,
    );
    expect(result).toBe(image.digest);
    expect(fetchLoaded).toBe(false);
    // The read was answered with a token asked for by the fresh process.
    expect(tokens.tokenRequests.slice(before)).toEqual([['repository:kept/token:pull']]);
  } finally {
    await tokens.stop();
  }
});
