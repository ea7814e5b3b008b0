import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { buckets } from '@lading/contracts';
import { forceHeader, tagKey, type LedgerEntry } from '../src/internal.js';
import { appendTagAudit } from '../src/internal.js';
import { startGuardStack, users, type GuardStack } from './support/guard-stack.js';
import {
  basicAuth,
  imageManifest,
  pushImageBlobs,
  putManifest,
  rawRequest,
  upstreamDigest,
  upstreamTags,
  type ImageBlobs,
} from './support/oci-http.js';

describe('registry guard against bad input and dead replicas', () => {
  let stack: GuardStack;
  let guard: string;
  let blobs: ImageBlobs;
  const repo = 'team/edge';

  beforeAll(async () => {
    stack = await startGuardStack(1);
    guard = stack.replicas[0]!.url;
    blobs = await pushImageBlobs(guard, repo);
  });
  afterAll(async () => stack?.stop());

  async function catalog(): Promise<string[]> {
    const answer = await rawRequest(stack.registry.url, 'GET', '/v2/_catalog');
    return (JSON.parse(answer.body) as { repositories: string[] }).repositories;
  }

  function errorOf(body: string): { code: string; message: string } {
    return (JSON.parse(body) as { errors: Array<{ code: string; message: string }> }).errors[0]!;
  }

  it('refuses a manifest that is not JSON and writes nothing upstream', async () => {
    const answer = await putManifest(guard, repo, 'broken', '{"schemaVersion": 2,');
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body)).toEqual({ code: 'MANIFEST_INVALID', message: 'the manifest is invalid: it is not JSON' });
    expect(await upstreamTags(stack.registry.url, repo)).not.toContain('broken');
    expect(await stack.replicas[0]!.ledger.getTag(repo, 'broken')).toBeUndefined();
  });

  it('refuses a manifest of an unknown media type', async () => {
    const answer = await putManifest(guard, repo, 'odd', JSON.stringify({ schemaVersion: 2, mediaType: 'text/plain' }), {
      'content-type': 'text/plain',
    });
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body).code).toBe('MANIFEST_INVALID');
    expect(await upstreamTags(stack.registry.url, repo)).not.toContain('odd');
  });

  it('refuses a manifest pushed by digest whose body has another digest', async () => {
    const manifest = imageManifest(blobs);
    const wrong = `sha256:${'1'.repeat(64)}`;
    const answer = await putManifest(guard, repo, wrong, manifest.bytes);
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body).code).toBe('DIGEST_INVALID');
    expect((await rawRequest(stack.registry.url, 'HEAD', `/v2/${repo}/manifests/${manifest.digest}`)).status).toBe(404);
    const right = await putManifest(guard, repo, manifest.digest, manifest.bytes);
    expect(right.status).toBe(201);
    expect(right.headers.location).toContain(guard);
  });

  it('refuses an oversized manifest with 413 before reading it all', async () => {
    const huge = Buffer.alloc(4 * 1024 * 1024 + 1, 0x20);
    const answer = await putManifest(guard, repo, 'huge', huge);
    expect(answer.status).toBe(413);
    expect(errorOf(answer.body).code).toBe('SIZE_INVALID');
    expect(await upstreamTags(stack.registry.url, repo)).not.toContain('huge');
  });

  it.each([
    '/v2/../etc/manifests/latest',
    '/v2/team/../../x/manifests/latest',
    '/v2/%2e%2e/x/manifests/latest',
    '/v2/team/%2E%2E/manifests/latest',
    '/v2/team//app/manifests/latest',
    '/v2/Team/App/manifests/latest',
    '/v2/team/app%2fother/manifests/latest',
    '/v2/team/app/blobs/uploads/?mount=sha256:' + '0'.repeat(64) + '&from=../other',
  ])('refuses the path trick %s with NAME_INVALID and forwards nothing', async (path) => {
    const before = await catalog();
    const method = path.includes('uploads') ? 'POST' : 'PUT';
    const answer = await rawRequest(guard, method, path, { body: imageManifest(blobs).bytes, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body).code).toBe('NAME_INVALID');
    expect(await catalog()).toEqual(before);
  });

  it('refuses an invalid tag', async () => {
    const answer = await putManifest(guard, repo, '-bad', imageManifest(blobs).bytes);
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body).code).toBe('TAG_INVALID');
  });

  /** Leaves the ledger as a guard that died mid-change would; returns the entry's revision. */
  async function writeEntry(tag: string, entry: Partial<LedgerEntry>): Promise<number> {
    const kv = await new Kvm(stack.replicas[0]!.nc).open(buckets.tags);
    const past = new Date(Date.now() - 60_000).toISOString();
    const full: LedgerEntry = {
      repository: repo,
      tag,
      digest: imageManifest(blobs).digest,
      state: 'pending',
      owner: 'guard-that-died',
      principal: 'someone',
      reservedAt: past,
      expiresAt: past,
      ...entry,
    };
    return kv.put(tagKey(repo, tag), JSON.stringify(full));
  }

  it('takes over an expired reservation whose write never reached the upstream', async () => {
    await writeEntry('orphan', {});
    const mine = imageManifest(blobs);
    const answer = await putManifest(guard, repo, 'orphan', mine.bytes);
    expect(answer.status).toBe(201);
    expect(answer.headers['x-lading-outcome']).toBe('created');
    expect(await upstreamDigest(stack.registry.url, repo, 'orphan')).toBe(mine.digest);
    expect(await stack.replicas[0]!.ledger.getTag(repo, 'orphan')).toMatchObject({ digest: mine.digest, state: 'committed' });
  });

  it('commits an expired reservation whose write did reach the upstream, and then protects it', async () => {
    const landed = imageManifest(blobs);
    expect((await putManifest(stack.registry.url, repo, 'landed', landed.bytes)).status).toBe(201);
    await writeEntry('landed', { digest: landed.digest });
    const other = await putManifest(guard, repo, 'landed', imageManifest(blobs).bytes);
    expect(other.status).toBe(409);
    expect(other.body).toContain(landed.digest);
    const retry = await putManifest(guard, repo, 'landed', landed.bytes);
    expect(retry.headers['x-lading-outcome']).toBe('unchanged');
    expect(await stack.replicas[0]!.ledger.getTag(repo, 'landed')).toMatchObject({ digest: landed.digest, state: 'committed' });
  });

  it('keeps the protected digest when a forced replace died before reaching the upstream', async () => {
    const kept = imageManifest(blobs);
    await putManifest(guard, repo, 'kept', kept.bytes);
    await writeEntry('kept', { previousDigest: kept.digest, forced: true });
    const answer = await putManifest(guard, repo, 'kept', imageManifest(blobs).bytes);
    expect(answer.status).toBe(409);
    expect(answer.body).toContain(kept.digest);
    expect(await upstreamDigest(stack.registry.url, repo, 'kept')).toBe(kept.digest);
  });

  it('audits a forced replace once when its guard died after the upstream write and the audit, before the commit', async () => {
    const before = imageManifest(blobs);
    await putManifest(guard, repo, 'half-forced', before.bytes);
    const after = imageManifest(blobs);
    expect((await putManifest(stack.registry.url, repo, 'half-forced', after.bytes)).status).toBe(201);
    const dead = { digest: after.digest, previousDigest: before.digest, forced: true, principal: 'release-manager' };
    const revision = await writeEntry('half-forced', dead);
    const entry = { at: new Date().toISOString(), principal: dead.principal, repository: repo, tag: 'half-forced', oldDigest: before.digest, newDigest: after.digest };
    await appendTagAudit(jetstream(stack.replicas[0]!.nc), entry, `${tagKey(repo, 'half-forced')}@${revision}`);

    const retry = await putManifest(guard, repo, 'half-forced', after.bytes);
    expect(retry.headers['x-lading-outcome']).toBe('unchanged');
    expect(await stack.replicas[0]!.ledger.getTag(repo, 'half-forced')).toMatchObject({ digest: after.digest, state: 'committed' });
    const audit = (await stack.replicas[0]!.ledger.listTagAudit()).filter((logged) => logged.tag === 'half-forced');
    expect(audit).toEqual([expect.objectContaining({ oldDigest: before.digest, newDigest: after.digest, principal: 'release-manager' })]);
  });

  it('restores a tag whose forced delete died before the upstream deleted it', async () => {
    const survivor = imageManifest(blobs);
    await putManifest(guard, repo, 'survivor', survivor.bytes);
    await writeEntry('survivor', { digest: survivor.digest, previousDigest: survivor.digest, deleting: true, forced: true });
    expect((await putManifest(guard, repo, 'survivor', imageManifest(blobs).bytes)).status).toBe(409);
    expect(await stack.replicas[0]!.ledger.getTag(repo, 'survivor')).toMatchObject({ digest: survivor.digest, state: 'committed' });
  });

  it('restores the tag when the upstream refuses a forced delete by tag (distribution 2.8 cannot delete by tag)', async () => {
    const manifest = imageManifest(blobs);
    await putManifest(guard, repo, 'bytag', manifest.bytes);
    const forced = await rawRequest(guard, 'DELETE', `/v2/${repo}/manifests/bytag`, {
      headers: { authorization: basicAuth('release-manager', users['release-manager']), [forceHeader]: 'true' },
    });
    expect(forced.status).toBe(400);
    expect(await upstreamDigest(stack.registry.url, repo, 'bytag')).toBe(manifest.digest);
    expect(await stack.replicas[0]!.ledger.getTag(repo, 'bytag')).toMatchObject({ digest: manifest.digest, state: 'committed' });
    const audit = await stack.replicas[0]!.ledger.listTagAudit();
    expect(audit.filter((entry) => entry.tag === 'bytag')).toEqual([]);
  });
});
