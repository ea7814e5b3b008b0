import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { freePort, startProcess, waitForPort, type RunningProcess } from '@lading/testkit';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciError, RegistryClient } from '../src/index.js';
import { pushTinyImage } from './support/tiny-image.js';

let dir: string;
let registry: RunningProcess;
let host: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lading-test-htpasswd-registry-'));
  await writeFile(join(dir, 'htpasswd'), `alice:${bcrypt.hashSync('alice-secret', 8)}\n`);
  const port = await freePort();
  host = `127.0.0.1:${port}`;
  await writeFile(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: { level: warn }',
      'storage:',
      `  filesystem: { rootdirectory: "${join(dir, 'data')}" }`,
      'http:',
      `  addr: ${host}`,
      '  secret: lading-test-only',
      'auth:',
      '  htpasswd:',
      '    realm: lading-test',
      `    path: ${join(dir, 'htpasswd')}`,
    ].join('\n'),
  );
  registry = startProcess('docker-registry', ['serve', join(dir, 'config.yml')]);
  await waitForPort(port);
});

afterAll(async () => {
  await registry?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('docker-registry with htpasswd (Basic) authentication', () => {
  it('answers the Basic challenge with the credentials, including for streamed uploads', async () => {
    const client = new RegistryClient({ registry: host, credentials: { username: 'alice', password: 'alice-secret' } });
    const image = await pushTinyImage(client, 'team/app', 'basic');
    expect(await client.headManifest('team/app', image.digest)).toMatchObject({ digest: image.digest });
    expect(await client.listTags('team/app')).toEqual([]);
    const streamed = await client.uploadBlob('team/app', Readable.from([Buffer.from('streamed '), Buffer.from('content')]), { chunkSize: 4 });
    expect(await client.getBlobBuffer('team/app', streamed.digest)).toEqual(Buffer.from('streamed content'));
  });

  it('says credentials are needed when none are configured', async () => {
    const anonymous = new RegistryClient({ registry: host });
    const error = await anonymous.listTags('team/app').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OciError);
    expect((error as OciError).message).toBe(`Registry ${host} needs a username and password; configure credentials for it.`);
  });

  it('names the registry answer when the password is wrong', async () => {
    const wrong = new RegistryClient({ registry: host, credentials: { username: 'alice', password: 'nope' } });
    const error = await wrong.listTags('team/app').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 401, reason: 'UNAUTHORIZED', registry: host, repository: 'team/app' });
    expect((error as OciError).message).toMatch(/^Listing tags of team\/app in registry .* failed: the registry answered HTTP 401 UNAUTHORIZED .*check the credentials/);
  });
});
