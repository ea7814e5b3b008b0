import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startRegistry, type TestRegistry } from '@lading/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RegistryClient } from '../src/index.js';
import { headAnswer } from '../src/head-answer.js';
import { pushTinyImage } from './support/tiny-image.js';

const run = promisify(execFile);
let registry: TestRegistry;

beforeAll(async () => {
  registry = await startRegistry();
});

afterAll(async () => {
  await registry?.stop();
});

it('reads header fields as fetch does: names without case, repeated fields joined, absent ones null', () => {
  const answer = headAnswer('http://registry/v2/', 200, 'OK', ['Docker-Content-Digest', 'sha256:aa', 'Vary', 'Accept', 'vary', 'Cookie']);
  expect(answer.headers.get('docker-content-digest')).toBe('sha256:aa');
  expect(answer.headers.get('VARY')).toBe('Accept, Cookie');
  expect(answer.headers.get('location')).toBeNull();
  expect([...answer.headers.keys()]).toEqual(['docker-content-digest', 'vary']);
  expect(answer).toMatchObject({ ok: true, status: 200, body: null });
  expect(headAnswer('http://registry/v2/', 404, 'Not Found', []).ok).toBe(false);
});

it('refuses a status that is no HTTP answer', () => {
  expect(() => headAnswer('http://registry/v2/', 99, '', [])).toThrow('the registry answered an invalid HTTP status 99');
  expect(() => headAnswer('http://registry/v2/', 600, '', [])).toThrow('invalid HTTP status 600');
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
