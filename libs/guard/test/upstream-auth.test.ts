import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { freePort, startNatsServer, startProcess, waitForPort, type RunningProcess, type TestNatsServer } from '@lading/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startFrontDoor,
  type FrontDoorServer,
  forceHeader,
  principalFromBasicAuth,
  principalFromUpstreamCredentials,
  TagLedger,
  type FrontDoorOptions,
} from '../src/internal.js';
import { makeOciLayout, skopeoCopy } from './support/clients.js';
import { basicAuth, imageManifest, ociManifestType, rawRequest, sha256 } from './support/oci-http.js';
import { openAccess } from './support/open-access.js';

const accounts = { alice: 'alice-secret', 'release-manager': 'rm-secret' };

/** docker-registry with htpasswd authentication: the testkit's registry is open, this one is not. */
async function startAuthenticatedRegistry(dir: string): Promise<{ url: string; host: string; process: RunningProcess }> {
  const port = await freePort();
  const htpasswd = Object.entries(accounts)
    .map(([name, password]) => `${name}:${bcrypt.hashSync(password, 8)}`)
    .join('\n');
  await writeFile(join(dir, 'htpasswd'), `${htpasswd}\n`);
  await writeFile(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: { level: warn }',
      `storage: { filesystem: { rootdirectory: "${join(dir, 'data')}" }, delete: { enabled: true } }`,
      `http: { addr: "127.0.0.1:${port}", secret: lading-test-only }`,
      `auth: { htpasswd: { realm: lading-upstream, path: "${join(dir, 'htpasswd')}" } }`,
    ].join('\n'),
  );
  const running = startProcess('docker-registry', ['serve', join(dir, 'config.yml')]);
  await waitForPort(port);
  return { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, process: running };
}

describe('a registry guard in front of an authenticated upstream', () => {
  let nats: TestNatsServer;
  let nc: NatsConnection;
  let dir: string;
  let upstream: Awaited<ReturnType<typeof startAuthenticatedRegistry>>;
  let ledger: TagLedger;
  const frontDoors: FrontDoorServer[] = [];
  const alice = basicAuth('alice', accounts.alice);

  async function listen(options: Omit<FrontDoorOptions, 'ledger' | 'upstreamUrl'>): Promise<string> {
    const frontDoor = await startFrontDoor({ ...options, ledger, upstreamUrl: upstream.url, port: 0 });
    frontDoors.push(frontDoor);
    return `127.0.0.1:${frontDoor.port}`;
  }

  async function upstreamDigest(tag: string): Promise<string | undefined> {
    const answer = await rawRequest(upstream.url, 'HEAD', `/v2/auth/app/manifests/${tag}`, {
      headers: { authorization: alice, accept: ociManifestType },
    });
    return answer.status === 200 ? (answer.headers['docker-content-digest'] as string) : undefined;
  }

  async function pushBlobAs(host: string, authorization: Record<string, string>, bytes: Buffer): Promise<string> {
    const digest = sha256(bytes);
    const started = await rawRequest(`http://${host}`, 'POST', '/v2/auth/app/blobs/uploads/', { headers: authorization });
    expect(started.status).toBe(202);
    const location = new URL(started.headers.location as string);
    location.searchParams.set('digest', digest);
    const done = await rawRequest(`http://${host}`, 'PUT', `${location.pathname}${location.search}`, {
      headers: { ...authorization, 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(done.status).toBe(201);
    return digest;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lading-guard-auth-'));
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    ledger = await TagLedger.open(nc, { forcePrincipals: ['release-manager'] });
    upstream = await startAuthenticatedRegistry(dir);
  });
  afterAll(async () => {
    for (const frontDoor of frontDoors) await frontDoor.close();
    await nc?.close();
    await upstream?.process.stop();
    await nats?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("passes the upstream's challenge through when the guard holds no upstream credentials", async () => {
    const host = await listen({ principalFrom: principalFromUpstreamCredentials(), access: openAccess });
    const ping = await rawRequest(`http://${host}`, 'GET', '/v2/');
    expect(ping.status).toBe(401);
    expect(ping.headers['www-authenticate']).toContain('realm="lading-upstream"');

    const layout = await makeOciLayout(dir);
    const refused = await skopeoCopy(layout, `${host}/auth/app:v1`);
    expect(refused.code).not.toBe(0);
    expect(await upstreamDigest('v1')).toBeUndefined();
  });

  it('lets a client with upstream credentials push through the guard, and a wrong password changes nothing', async () => {
    const host = await listen({ principalFrom: principalFromUpstreamCredentials(), access: openAccess });
    const blobs = {
      config: { digest: await pushBlobAs(host, { authorization: alice }, Buffer.from('{}')), size: 2 },
      layer: { digest: await pushBlobAs(host, { authorization: alice }, Buffer.from('layer')), size: 5 },
    };
    const first = imageManifest(blobs);
    const put = (bytes: Buffer, headers: Record<string, string>) =>
      rawRequest(`http://${host}`, 'PUT', '/v2/auth/app/manifests/v2', { headers: { 'content-type': ociManifestType, ...headers }, body: bytes });
    expect((await put(first.bytes, { authorization: alice })).status).toBe(201);
    expect(await upstreamDigest('v2')).toBe(first.digest);

    const forgedForce = await put(imageManifest(blobs).bytes, {
      authorization: basicAuth('release-manager', 'not-the-password'),
      [forceHeader]: 'true',
    });
    expect(forgedForce.status).toBe(401);
    expect(await upstreamDigest('v2')).toBe(first.digest);
    expect(await ledger.getTag('auth/app', 'v2')).toMatchObject({ digest: first.digest, state: 'committed' });
    expect((await ledger.listTagAudit()).filter((entry) => entry.tag === 'v2')).toEqual([]);

    const layout = await makeOciLayout(dir);
    const copied = await skopeoCopy(layout, `${host}/auth/app:v3`, [`--dest-creds=alice:${accounts.alice}`]);
    expect(copied.stderr).toBe('');
    expect(copied.code).toBe(0);
    expect(await upstreamDigest('v3')).toBe(layout.digest);
  });

  it('authenticates upstream itself when given upstreamAuth, so clients never see the upstream challenge', async () => {
    const host = await listen({
      principalFrom: principalFromBasicAuth({}, 'anonymous'),
      access: openAccess,
      upstreamAuth: { username: 'alice', password: accounts.alice },
    });
    expect((await rawRequest(`http://${host}`, 'GET', '/v2/')).status).toBe(200);
    const layout = await makeOciLayout(dir);
    const copied = await skopeoCopy(layout, `${host}/auth/app:v4`);
    expect(copied.stderr).toBe('');
    expect(copied.code).toBe(0);
    expect(await upstreamDigest('v4')).toBe(layout.digest);
  });
});
