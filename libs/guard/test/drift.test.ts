import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driftPrincipal, forceHeader } from '../src/internal.js';
import { startGuardStack, users, type GuardStack } from './support/guard-stack.js';
import { basicAuth, imageManifest, pushImageBlobs, putManifest, upstreamDigest, type ImageBlobs } from './support/oci-http.js';

const releaseManager = basicAuth('release-manager', users['release-manager']);

/** Someone writes the upstream registry directly, around the guard, and the guard says so. */
// Each test rewrites a tag of its own: they run in any order.
describe('a tag rewritten in the upstream behind the guard', () => {
  let stack: GuardStack;
  let guard: string;
  let blobs: ImageBlobs;
  const repo = 'drift/app';
  const headTag = (repository: string, tag: string) => upstreamDigest(stack.registry.url, repository, tag);

  beforeAll(async () => {
    stack = await startGuardStack(1);
    guard = stack.replicas[0]!.url;
    blobs = await pushImageBlobs(guard, repo);
  });
  afterAll(async () => stack?.stop());

  /** `tag` pushed through the guard, then rewritten in the upstream directly, around it. */
  async function rewrittenBehindTheGuard(tag: string) {
    const protectedImage = imageManifest(blobs);
    expect((await putManifest(guard, repo, tag, protectedImage.bytes)).headers['x-lading-outcome']).toBe('created');
    const trojan = imageManifest(blobs);
    expect((await putManifest(stack.registry.url, repo, tag, trojan.bytes)).status).toBe(201);
    return { protectedImage, trojan };
  }

  it('is refused, not reported unchanged, when the ledger digest is pushed again; status and audit name it', async () => {
    const ledger = stack.replicas[0]!.ledger;
    const { protectedImage, trojan } = await rewrittenBehindTheGuard('v1');

    const again = await putManifest(guard, repo, 'v1', protectedImage.bytes);
    expect(again.status).toBe(409);
    expect(again.headers['x-lading-outcome']).toBeUndefined();
    const error = JSON.parse(again.body).errors[0];
    expect(error.message).toBe(
      `tag ${repo}:v1 is ${protectedImage.digest} in the guard's ledger but the upstream registry serves ${trojan.digest}: ` +
        `it was changed behind the guard; push ${protectedImage.digest} again with --force to restore it`,
    );
    expect(error.detail).toEqual({ ledgerDigest: protectedImage.digest, upstreamDigest: trojan.digest });
    // Nothing was written: the upstream still serves the rewrite, the ledger its own digest.
    expect(await headTag(repo, 'v1')).toBe(trojan.digest);
    expect(await ledger.getTag(repo, 'v1')).toMatchObject({ digest: protectedImage.digest, state: 'committed' });

    const drift = (await ledger.findDrift(headTag)).filter((found) => found.tag === 'v1');
    expect(drift).toEqual([{ repository: repo, tag: 'v1', ledgerDigest: protectedImage.digest, upstreamDigest: trojan.digest }]);
    const audited = (await ledger.listTagAudit()).filter((entry) => entry.principal === driftPrincipal && entry.tag === 'v1');
    // The push and the status check found the same drift: it is audited once.
    expect(audited).toEqual([expect.objectContaining({ repository: repo, oldDigest: protectedImage.digest, newDigest: trojan.digest })]);
  });

  it('is restored by a forced push of the ledger digest, audited under the principal who forced it', async () => {
    const ledger = stack.replicas[0]!.ledger;
    const { protectedImage } = await rewrittenBehindTheGuard('v3');
    const original = (await ledger.getTag(repo, 'v3'))!.digest;
    expect(original).toBe(protectedImage.digest);
    const restored = await putManifest(guard, repo, 'v3', protectedImage.bytes, {
      authorization: releaseManager,
      [forceHeader]: 'true',
    });
    expect(restored.status).toBe(201);
    expect(restored.headers['x-lading-outcome']).toBe('replaced');
    expect(await headTag(repo, 'v3')).toBe(original);
    expect((await ledger.findDrift(headTag)).filter((found) => found.tag === 'v3')).toEqual([]);
    expect((await ledger.listTagAudit()).at(-1)).toMatchObject({ principal: 'release-manager', repository: repo, tag: 'v3', newDigest: original });
  });

  it('is reported when the tag was deleted upstream, and a push of another digest is still a conflict', async () => {
    const ledger = stack.replicas[0]!.ledger;
    const kept = imageManifest(blobs);
    await putManifest(guard, repo, 'v2', kept.bytes);
    const answer = await fetch(`${stack.registry.url}/v2/${repo}/manifests/${kept.digest}`, { method: 'DELETE' });
    expect(answer.status).toBe(202);
    expect((await ledger.findDrift(headTag)).filter((found) => found.tag === 'v2')).toEqual([
      { repository: repo, tag: 'v2', ledgerDigest: kept.digest, upstreamDigest: null },
    ]);
    const again = await putManifest(guard, repo, 'v2', kept.bytes);
    expect(again.status).toBe(409);
    expect(JSON.parse(again.body).errors[0].message).toContain('the upstream registry serves nothing');
    const other = await putManifest(guard, repo, 'v2', imageManifest(blobs).bytes);
    expect(JSON.parse(other.body).errors[0].message).toContain(`already holds ${kept.digest}`);
  });
});
