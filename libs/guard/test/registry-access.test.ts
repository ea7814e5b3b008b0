import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordVerifier, PrincipalsFileReader } from '@lading/service-kit';
import { anonymousPrincipal, namespaceAccess, principalFromVerifiers, RegistryTokens, startFrontDoor, tokenPath, type FrontDoorServer } from '../src/internal.js';
import { makeOciLayout, scratchDir, skopeoCopy } from './support/clients.js';
import { startGuardStack, type GuardStack } from './support/guard-stack.js';
import { basicAuth, imageManifest, pushImageBlobs, putManifest, rawRequest, upstreamDigest, upstreamTags } from './support/oci-http.js';

const passwords = { admin: 'admin-pw', alice: 'alice-pw', builder: 'builder-pw' };
const as = (name: keyof typeof passwords, password: string = passwords[name]) => ({ authorization: basicAuth(name, password) });

/** Who may push where through the front door: principals own the repositories of their namespaces. */
// Each test writes repositories of its own: they run in any order.
describe('repositories owned by namespaces', () => {
  let stack: GuardStack;
  let dir: string;
  let scratch: string;
  const doors: FrontDoorServer[] = [];
  let guard: string;

  async function door(anonymousRead: boolean): Promise<string> {
    const reader = new PrincipalsFileReader(join(dir, 'principals.json'));
    const builderVerifier = passwordVerifier(passwords.builder);
    const frontDoor = await startFrontDoor({
      upstreamUrl: stack.registry.url,
      ledger: stack.replicas[0]!.ledger,
      principalFrom: principalFromVerifiers((name) => (name === 'builder' ? builderVerifier : reader.current().principals[name]?.passwordVerifier)),
      access: namespaceAccess({
        namespacesOf: (name) => reader.current().principals[name]?.namespaces,
        contentPushers: new Set(['builder']),
        anonymousRead,
      }),
      tokens: new RegistryTokens(),
      port: 0,
    });
    doors.push(frontDoor);
    return `http://127.0.0.1:${frontDoor.port}`;
  }

  /** Alice's image, tagged v1 in `repository` of her namespace. */
  async function pushAsAlice(repository: string): Promise<void> {
    const blobs = await pushImageBlobs(guard, repository, as('alice'));
    expect((await putManifest(guard, repository, 'v1', imageManifest(blobs).bytes, as('alice'))).status).toBe(201);
  }

  beforeAll(async () => {
    stack = await startGuardStack(1);
    dir = await mkdtemp(join(tmpdir(), 'lading-access-'));
    scratch = await scratchDir();
    await writeFile(
      join(dir, 'principals.json'),
      JSON.stringify({
        principals: {
          admin: { namespaces: ['*'], passwordVerifier: passwordVerifier(passwords.admin) },
          alice: { namespaces: ['team-a'], passwordVerifier: passwordVerifier(passwords.alice) },
        },
      }),
    );
    guard = await door(true);
  });
  afterAll(async () => {
    for (const frontDoor of doors) await frontDoor.close();
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
  });

  it('refuses an anonymous push with a 401 challenge and writes nothing upstream (tag squatting)', async () => {
    const upload = await rawRequest(guard, 'POST', '/v2/team-a/app/blobs/uploads/');
    expect(upload.status).toBe(401);
    expect(upload.headers['www-authenticate']).toBe(`Bearer realm="${guard}${tokenPath}",service="lading-registry-guard"`);
    expect(JSON.parse(upload.body).errors[0].message).toBe('pushing needs a principal; log in to this registry with your Lading credentials');
    const blobs = await pushImageBlobs(guard, 'team-a/squatted', as('alice'));
    const squat = await putManifest(guard, 'team-a/squatted', 'latest', imageManifest(blobs).bytes);
    expect(squat.status).toBe(401);
    const byDigest = imageManifest(blobs);
    expect((await putManifest(guard, 'team-a/squatted', byDigest.digest, byDigest.bytes)).status).toBe(401);
    expect(await upstreamTags(stack.registry.url, 'team-a/squatted')).toEqual([]);
    expect(await stack.replicas[0]!.ledger.getTag('team-a/squatted', 'latest')).toBeUndefined();
  });

  it('refuses an anonymous skopeo copy, and lets the namespace owner push the same image with its login', async () => {
    const layout = await makeOciLayout(scratch);
    const destination = `${new URL(guard).host}/team-a/tool:v1`;
    const anonymous = await skopeoCopy(layout, destination);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stderr).toContain('pushing needs a principal');
    expect(await upstreamDigest(stack.registry.url, 'team-a/tool', 'v1')).toBeUndefined();
    const outsider = await skopeoCopy(layout, `${new URL(guard).host}/team-b/tool:v1`, ['--dest-creds', `alice:${passwords.alice}`]);
    expect(outsider.code).not.toBe(0);
    expect(outsider.stderr).toContain('may push only to repositories of its namespaces (team-a/...)');
    const owner = await skopeoCopy(layout, destination, ['--dest-creds', `alice:${passwords.alice}`]);
    expect(owner.code, owner.stderr).toBe(0);
    expect(await upstreamDigest(stack.registry.url, 'team-a/tool', 'v1')).toBe(layout.digest);
  });

  it('issues tokens naming the principal that logged in, or the anonymous one, and refuses a forged one', async () => {
    const anonymous = await rawRequest(guard, 'GET', `${tokenPath}?service=lading-registry-guard`);
    expect(anonymous.status).toBe(200);
    const alice = await rawRequest(guard, 'GET', `${tokenPath}?service=lading-registry-guard`, { headers: as('alice') });
    const { token } = JSON.parse(alice.body) as { token: string };
    expect((await rawRequest(guard, 'GET', tokenPath, { headers: as('alice', 'guess') })).status).toBe(401);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await rawRequest(guard, 'GET', '/v2/', { headers: bearer })).status).toBe(200);
    expect((await rawRequest(guard, 'POST', '/v2/team-a/app/blobs/uploads/', { headers: bearer })).status).toBe(202);
    expect((await rawRequest(guard, 'POST', '/v2/team-b/app/blobs/uploads/', { headers: bearer })).status).toBe(403);
    const anonymousToken = { authorization: `Bearer ${(JSON.parse(anonymous.body) as { token: string }).token}` };
    expect((await rawRequest(guard, 'POST', '/v2/team-a/app/blobs/uploads/', { headers: anonymousToken })).status).toBe(401);
    const [body] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'admin', exp: Math.floor(Date.now() / 1000) + 300 })).toString('base64url');
    expect(forged).not.toBe(body);
    const forgedToken = { authorization: `Bearer ${forged}.${token.split('.')[1]}` };
    expect((await rawRequest(guard, 'POST', '/v2/anywhere/blobs/uploads/', { headers: forgedToken })).status).toBe(401);
  });

  it('lets a principal push into its own namespace and refuses every write outside it with 403', async () => {
    const blobs = await pushImageBlobs(guard, 'team-a/app', as('alice'));
    const own = await putManifest(guard, 'team-a/app', 'v1', imageManifest(blobs).bytes, as('alice'));
    expect(own.status).toBe(201);

    const upload = await rawRequest(guard, 'POST', '/v2/team-b/app/blobs/uploads/', { headers: as('alice') });
    expect(upload.status).toBe(403);
    expect(JSON.parse(upload.body).errors[0]).toEqual({
      code: 'DENIED',
      message: 'the principal alice may push only to repositories of its namespaces (team-a/...), not to team-b/app',
    });
    const manifest = await putManifest(guard, 'team-b/app', 'v1', imageManifest(blobs).bytes, as('alice'));
    expect(manifest.status).toBe(403);
    // A repository named like a namespace but one level up is not inside it.
    expect((await putManifest(guard, 'team-a', 'v1', imageManifest(blobs).bytes, as('alice'))).status).toBe(403);
    expect(await upstreamTags(stack.registry.url, 'team-b/app')).toEqual([]);
  });

  it('lets anonymous clients read, the default; a ping without credentials is challenged so clients can log in', async () => {
    await pushAsAlice('team-a/readable');
    expect((await rawRequest(guard, 'GET', '/v2/')).status).toBe(401);
    const tags = await rawRequest(guard, 'GET', '/v2/team-a/readable/tags/list');
    expect(JSON.parse(tags.body).tags).toEqual(['v1']);
  });

  it('challenges a wrong password even for reads', async () => {
    expect((await rawRequest(guard, 'GET', '/v2/', { headers: as('alice', 'guess') })).status).toBe(401);
    expect((await rawRequest(guard, 'POST', '/v2/team-a/app/blobs/uploads/', { headers: as('alice', 'guess') })).status).toBe(401);
  });

  it('lets the administrator push anywhere', async () => {
    const blobs = await pushImageBlobs(guard, 'anywhere', as('admin'));
    expect((await putManifest(guard, 'anywhere', 'v1', imageManifest(blobs).bytes, as('admin'))).status).toBe(201);
  });

  it('lets a content pusher (the builder) push by digest anywhere, but never a tag', async () => {
    const blobs = await pushImageBlobs(guard, 'team-b/built', as('builder'));
    const image = imageManifest(blobs);
    expect((await putManifest(guard, 'team-b/built', image.digest, image.bytes, as('builder'))).status).toBe(201);
    const tagged = await putManifest(guard, 'team-b/built', 'v1', image.bytes, as('builder'));
    expect(tagged.status).toBe(403);
    expect(JSON.parse(tagged.body).errors[0].message).toBe('builder pushes content by digest only; tags are written by principals');
    expect(await upstreamTags(stack.registry.url, 'team-b/built')).toEqual([]);
  });

  it('serves only logged-in principals when anonymous reads are turned off', async () => {
    await pushAsAlice('team-a/private');
    const closed = await door(false);
    const anonymous = await rawRequest(closed, 'GET', '/v2/team-a/private/tags/list');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer realm=/);
    expect((await rawRequest(closed, 'GET', '/v2/team-a/private/tags/list', { headers: as('alice') })).status).toBe(200);
  });

  it('names anonymous requests with a name no principal can have', () => {
    expect(anonymousPrincipal).not.toMatch(/^[a-z][a-z0-9-]{0,31}$/);
  });
});
