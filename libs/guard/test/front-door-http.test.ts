import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forceHeader, TagConflictError } from '../src/internal.js';
import { startGuardStack, users, type GuardStack } from './support/guard-stack.js';
import {
  basicAuth,
  imageManifest,
  pushBlob,
  pushImageBlobs,
  putManifest,
  rawRequest,
  upstreamDigest,
  type ImageBlobs,
} from './support/oci-http.js';

const releaseManager = basicAuth('release-manager', users['release-manager']);
const dev = basicAuth('dev', users.dev);

describe('registry guard front door over HTTP', () => {
  let stack: GuardStack;
  let guard: string;
  let blobs: ImageBlobs;
  const repo = 'team/app';

  beforeAll(async () => {
    stack = await startGuardStack(1);
    guard = stack.replicas[0]!.url;
    blobs = await pushImageBlobs(guard, repo);
  });
  afterAll(async () => stack?.stop());

  it('answers the OCI ping', async () => {
    expect((await rawRequest(guard, 'GET', '/v2/')).status).toBe(200);
  });

  it('writes a new tag, and re-pushing the identical digest is an idempotent success', async () => {
    const first = imageManifest(blobs);
    const created = await putManifest(guard, repo, 'v1', first.bytes);
    expect(created.status).toBe(201);
    expect(created.headers['x-lading-outcome']).toBe('created');
    expect(created.headers['docker-content-digest']).toBe(first.digest);
    expect(created.headers.location).toBe(`${guard}/v2/${repo}/manifests/${first.digest}`);

    const again = await putManifest(guard, repo, 'v1', first.bytes);
    expect(again.status).toBe(201);
    expect(again.headers['x-lading-outcome']).toBe('unchanged');
    expect(await upstreamDigest(stack.registry.url, repo, 'v1')).toBe(first.digest);

    const pulled = await rawRequest(guard, 'GET', `/v2/${repo}/manifests/v1`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
    expect(pulled.body).toBe(first.bytes.toString());
  });

  it('refuses a different digest on an existing tag with a message naming the digest and --force', async () => {
    const first = imageManifest(blobs);
    await putManifest(guard, repo, 'v2', first.bytes);
    const second = imageManifest(blobs);
    const refused = await putManifest(guard, repo, 'v2', second.bytes);
    expect(refused.status).toBe(409);
    const body = JSON.parse(refused.body) as { errors: Array<{ code: string; message: string; detail: { existingDigest: string } }> };
    expect(body.errors[0]!.code).toBe('DENIED');
    expect(body.errors[0]!.message).toBe(`tag ${repo}:v2 already holds ${first.digest}; publish with --force to replace it`);
    expect(body.errors[0]!.detail.existingDigest).toBe(first.digest);
    expect(await upstreamDigest(stack.registry.url, repo, 'v2')).toBe(first.digest);
  });

  it('lets an allowed principal force a replace, and audits it', async () => {
    const first = imageManifest(blobs);
    await putManifest(guard, repo, 'v3', first.bytes);
    const second = imageManifest(blobs);
    const replaced = await putManifest(guard, repo, 'v3', second.bytes, { authorization: releaseManager, [forceHeader]: 'true' });
    expect(replaced.status).toBe(201);
    expect(replaced.headers['x-lading-outcome']).toBe('replaced');
    expect(await upstreamDigest(stack.registry.url, repo, 'v3')).toBe(second.digest);
    const ledger = stack.replicas[0]!.ledger;
    expect((await ledger.getTag(repo, 'v3'))?.digest).toBe(second.digest);
    const audit = await ledger.listTagAudit();
    expect(audit).toContainEqual(
      expect.objectContaining({ principal: 'release-manager', repository: repo, tag: 'v3', oldDigest: first.digest, newDigest: second.digest }),
    );
  });

  it('refuses force from a principal that may not force, and from anonymous', async () => {
    const first = imageManifest(blobs);
    await putManifest(guard, repo, 'v4', first.bytes);
    const attempts: Array<Record<string, string>> = [{ authorization: dev, [forceHeader]: 'true' }, { [forceHeader]: 'true' }];
    for (const headers of attempts) {
      const refused = await putManifest(guard, repo, 'v4', imageManifest(blobs).bytes, headers);
      expect(refused.status).toBe(403);
      expect(refused.body).toContain('is not allowed to force');
    }
    expect(await upstreamDigest(stack.registry.url, repo, 'v4')).toBe(first.digest);
    expect((await stack.replicas[0]!.ledger.listTagAudit()).filter((entry) => entry.tag === 'v4')).toEqual([]);
  });

  it('challenges wrong credentials instead of running them as anonymous', async () => {
    const answer = await putManifest(guard, repo, 'v5', imageManifest(blobs).bytes, { authorization: basicAuth('dev', 'wrong') });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toContain('Basic');
    expect(await upstreamDigest(stack.registry.url, repo, 'v5')).toBeUndefined();
  });

  it('refuses to delete a blob unless forced by an allowed principal, and deletes it upstream when forced', async () => {
    const digest = await pushBlob(guard, repo, Buffer.from(`a blob to delete ${Date.now()}`));
    const upstreamBlob = () => rawRequest(stack.registry.url, 'HEAD', `/v2/${repo}/blobs/${digest}`);
    const refused = await rawRequest(guard, 'DELETE', `/v2/${repo}/blobs/${digest}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toContain('--force');
    const notAllowed = await rawRequest(guard, 'DELETE', `/v2/${repo}/blobs/${digest}`, { headers: { authorization: dev, [forceHeader]: 'true' } });
    expect(notAllowed.status).toBe(403);
    expect((await upstreamBlob()).status).toBe(200);

    const forced = await rawRequest(guard, 'DELETE', `/v2/${repo}/blobs/${digest}`, { headers: { authorization: releaseManager, [forceHeader]: 'true' } });
    expect(forced.status).toBe(202);
    expect((await upstreamBlob()).status).toBe(404);
  });

  it('refuses to delete a tag unless forced by an allowed principal, and audits the delete', async () => {
    const first = imageManifest(blobs);
    await putManifest(guard, repo, 'gone', first.bytes);
    const refused = await rawRequest(guard, 'DELETE', `/v2/${repo}/manifests/gone`);
    expect(refused.status).toBe(409);
    expect(refused.body).toContain('--force');
    const byDigest = await rawRequest(guard, 'DELETE', `/v2/${repo}/manifests/${first.digest}`);
    expect(byDigest.status).toBe(409);
    const notAllowed = await rawRequest(guard, 'DELETE', `/v2/${repo}/manifests/${first.digest}`, {
      headers: { authorization: dev, [forceHeader]: 'true' },
    });
    expect(notAllowed.status).toBe(403);
    expect(await upstreamDigest(stack.registry.url, repo, 'gone')).toBe(first.digest);

    const forced = await rawRequest(guard, 'DELETE', `/v2/${repo}/manifests/${first.digest}`, {
      headers: { authorization: releaseManager, [forceHeader]: 'true' },
    });
    expect(forced.status).toBe(202);
    expect(await upstreamDigest(stack.registry.url, repo, 'gone')).toBeUndefined();
    const ledger = stack.replicas[0]!.ledger;
    expect(await ledger.getTag(repo, 'gone')).toBeUndefined();
    expect(await ledger.listTagAudit()).toContainEqual(
      expect.objectContaining({ tag: 'gone', oldDigest: first.digest, newDigest: null, principal: 'release-manager' }),
    );
  });

  it('protects a tag pushed upstream before the guard existed', async () => {
    const direct = imageManifest(blobs);
    expect((await putManifest(stack.registry.url, repo, 'legacy', direct.bytes)).status).toBe(201);
    const refused = await putManifest(guard, repo, 'legacy', imageManifest(blobs).bytes);
    expect(refused.status).toBe(409);
    expect(refused.body).toContain(direct.digest);
    const same = await putManifest(guard, repo, 'legacy', direct.bytes);
    expect(same.headers['x-lading-outcome']).toBe('unchanged');
    expect(await upstreamDigest(stack.registry.url, repo, 'legacy')).toBe(direct.digest);
    expect((await stack.replicas[0]!.ledger.getTag(repo, 'legacy'))).toMatchObject({ digest: direct.digest, state: 'committed' });
  });

  it('refuses a conflicting write through the ledger API with TagConflictError', async () => {
    const ledger = stack.replicas[0]!.ledger;
    const upstream = {
      headTag: async () => undefined,
      putManifest: async () => undefined,
    };
    const digest = imageManifest(blobs).digest;
    await expect(ledger.writeTag({ repository: 'api/only', tag: 't', digest, principal: 'p', force: false, upstream })).resolves.toEqual({
      outcome: 'created',
      digest,
    });
    const other = imageManifest(blobs).digest;
    await expect(ledger.writeTag({ repository: 'api/only', tag: 't', digest: other, principal: 'p', force: false, upstream })).rejects.toBeInstanceOf(
      TagConflictError,
    );
  });
});
