/**
 * The real registry-guard process and its NATS `publish` endpoint, the one `lading publish`
 * uses: no tag is overwritten without --force, the identical digest is an idempotent success,
 * a forced replace is audited, the bundle is CNAB-in-OCI, referenced images travel with it,
 * and bad requests change nothing upstream.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { endpoints, type Bundle } from '@lading/contracts';
import { TagLedger } from '@lading/guard';
import { CnabAnnotations, parseManifestDocument, pullBundle, RegistryClient, relocationMapping } from '@lading/oci/internal';
import { callEndpoint } from '@lading/service-kit';
import type { TestNatsServer, TestRegistry } from '@lading/testkit';
import type { NatsConnection } from '@nats-io/nats-core';
import { runCli } from '../../cli/test/cli-process.js';
import { bundleFactory, variant, type BundleFactory, type TestBundle } from './support/bundles.js';
import { makeCliHome } from './support/cli-home.js';
import { startGuardedUpstream, upstreamClient } from './support/guarded-upstream.js';
import { startGuardProcess, type GuardProcess } from './support/guard-process.js';
import { serviceUsers, startIdentities, type Identities } from './support/identities.js';
import { storageSnapshot } from './support/storage-snapshot.js';

// One tag's life in steps (created, unchanged, refused, forced, audited): the steps keep their order when the rest is shuffled.
describe('registry-guard publish endpoint (real process, NATS, docker-registry)', { shuffle: false }, () => {
  let nats: TestNatsServer;
  let registry: TestRegistry;
  let guard: GuardProcess;
  let identities: Identities;
  let nc: NatsConnection;
  let ledgerNc: NatsConnection;
  let ledger: TagLedger;
  let upstream: RegistryClient;
  let factory: BundleFactory;
  let built: TestBundle;
  let cliHome: string;
  let tag: string;
  let firstDigest: string;
  let forcedDigest: string;

  const publish = (bundle: Bundle, force = false, to = built.tag) =>
    callEndpoint(nc, endpoints.publish, { bundle, tag: to, force }, { timeoutMs: 120_000 });

  beforeAll(async () => {
    identities = await startIdentities();
    nats = identities.nats;
    registry = await startGuardedUpstream();
    guard = await startGuardProcess({
      natsUrl: nats.url,
      upstreamUrl: registry.url,
      upstreamAccount: registry.credentials,
      env: { ...identities.guardEnv(), LADING_FORCE_PRINCIPALS: 'admin' },
    });
    // The administrator publishes; the ledger is read with a services-account user.
    nc = await identities.connect('admin');
    ledgerNc = await identities.connect('test');
    ledger = await TagLedger.open(ledgerNc, { forcePrincipals: [] });
    upstream = upstreamClient(registry);
    factory = bundleFactory();
    built = await factory.build(guard.host, { username: 'admin', password: identities.password('admin') });
    tag = built.tag.split(':').at(-1)!;
    cliHome = await makeCliHome(nats.url, guard.host, registry.url, 'admin', identities.password('admin'));
  });

  afterAll(async () => {
    await nc?.close();
    await ledgerNc?.close();
    await identities?.stop();
    await guard?.stop();
    await registry?.stop();
    await factory?.cleanUp();
    if (cliHome) await rm(cliHome, { recursive: true, force: true });
  });

  it('creates the tag; upstream and ledger hold the index digest', async () => {
    expect(await upstream.headManifest(built.repository, built.baseDigest)).toBeUndefined();
    const reply = await publish(built.bundle);
    expect(reply.outcome).toBe('created');
    expect(reply.reference).toBe(`${guard.host}/${built.repository}@${reply.digest}`);
    firstDigest = reply.digest;
    expect((await upstream.headManifest(built.repository, tag))?.digest).toBe(firstDigest);
    expect(await ledger.getTag(built.repository, tag)).toMatchObject({ digest: firstDigest, state: 'committed', principal: 'admin' });
  });

  it('stores a CNAB-in-OCI index that pulls by tag and by digest', async () => {
    const byTag = await pullBundle(upstream, built.repository, tag);
    const byDigest = await pullBundle(upstream, built.repository, firstDigest);
    expect(byTag.indexDigest).toBe(firstDigest);
    expect(byDigest.indexDigest).toBe(firstDigest);
    expect(byTag.bundle).toEqual(built.bundle);
    const invocation = (built.bundle.invocationImages as Array<{ contentDigest: string }>)[0]!;
    expect(byTag.invocationImage.digest).toBe(invocation.contentDigest);
  });

  it('copies images referenced from another repository into the bundle repository by digest', async () => {
    const images = built.bundle.images as Record<string, { image: string }>;
    expect(images.tools!.image).toBe(`${guard.host}/lading/busybox@${built.baseDigest}`);
    expect((await upstream.headManifest(built.repository, built.baseDigest))?.digest).toBe(built.baseDigest);
    // The index names the copy, so the relocation mapping rendered from it points at something that travels with the bundle.
    const index = parseManifestDocument((await upstream.getManifest(built.repository, firstDigest)).body, 'bundle index');
    expect(index.manifests?.filter((entry) => entry.annotations?.[CnabAnnotations.manifestType] === 'component')).toEqual([
      expect.objectContaining({ digest: built.baseDigest, annotations: { [CnabAnnotations.manifestType]: 'component', [CnabAnnotations.componentName]: 'tools' } }),
    ]);
    expect(relocationMapping(built.bundle, { registry: guard.host, repository: built.repository })[images.tools!.image]).toBe(`${guard.host}/${built.repository}@${built.baseDigest}`);
  });

  it('answers the identical bundle again with an idempotent "unchanged"', async () => {
    const reply = await publish(built.bundle);
    expect(reply).toMatchObject({ outcome: 'unchanged', digest: firstDigest });
  });

  it('refuses another bundle on the tag without --force, naming the digest it holds and --force', async () => {
    await expect(publish(variant(built.bundle, 'refused'))).rejects.toMatchObject({
      code: 'conflict',
      message: `tag ${built.repository}:${tag} already holds ${firstDigest}; publish with --force to replace it`,
    });
    expect((await upstream.headManifest(built.repository, tag))?.digest).toBe(firstDigest);
    expect((await ledger.getTag(built.repository, tag))?.digest).toBe(firstDigest);
  });

  it('replaces the tag with --force and records the overwrite in the tag audit stream', async () => {
    const reply = await publish(variant(built.bundle, 'forced'), true);
    expect(reply).toMatchObject({ outcome: 'replaced', previousDigest: firstDigest });
    forcedDigest = reply.digest;
    expect((await upstream.headManifest(built.repository, tag))?.digest).toBe(forcedDigest);
    expect(await ledger.getTag(built.repository, tag)).toMatchObject({ digest: forcedDigest, state: 'committed' });
    const audit = await ledger.listTagAudit();
    expect(audit).toEqual([
      { at: expect.any(String), principal: 'admin', repository: built.repository, tag, oldDigest: firstDigest, newDigest: forcedDigest },
    ]);
  });

  it('serves the tag audit over NATS (tagAudit), the latest `limit` entries', async () => {
    const again = await publish(variant(built.bundle, 'forced again'), true);
    const { entries } = await callEndpoint(nc, endpoints.tagAudit, {});
    expect(entries.map((entry) => [entry.oldDigest, entry.newDigest])).toEqual([
      [firstDigest, forcedDigest],
      [forcedDigest, again.digest],
    ]);
    const latest = await callEndpoint(nc, endpoints.tagAudit, { limit: 1 });
    expect(latest.entries).toEqual([entries[1]]);
    await expect(callEndpoint(nc, endpoints.tagAudit, { limit: -1 })).rejects.toThrow(/limit/);
  });

  it('`lading audit tags` prints the overwrites as json, yaml and a table', async () => {
    const { entries } = await callEndpoint(nc, endpoints.tagAudit, {});
    const json = await runCli(cliHome, ['audit', 'tags', '--output', 'json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(entries);
    const yaml = await runCli(cliHome, ['audit', 'tags', '-o', 'yaml', '--limit', '1']);
    expect(yaml.code, yaml.stderr).toBe(0);
    expect(parseYaml(yaml.stdout)).toEqual(entries.slice(-1));
    const table = await runCli(cliHome, ['audit', 'tags']);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^AT\s+PRINCIPAL\s+REPOSITORY\s+TAG\s+OLDDIGEST\s+NEWDIGEST$/);
    expect(lines).toHaveLength(entries.length + 1);
    expect(lines[1]!.split(/\s{2,}/)).toEqual([entries[0]!.at, 'admin', built.repository, tag, firstDigest, forcedDigest]);
    const bad = await runCli(cliHome, ['audit', 'tags', '--limit', 'many']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim()).toBe('lading: --limit must be a positive whole number, not "many"');
  });

  it.each(serviceUsers)('refuses a publish, a forced publish and a drift scan sent with the %s service credential, changing nothing', async (user) => {
    const service = await identities.connect(user);
    try {
      const before = await ledger.getTag(built.repository, tag);
      for (const force of [false, true]) {
        await expect(
          callEndpoint(service, endpoints.publish, { bundle: variant(built.bundle, `by ${user}`), tag: built.tag, force }),
        ).rejects.toMatchObject({ code: 'forbidden', message: 'this request must come from a principal, not a service' });
      }
      expect(await ledger.getTag(built.repository, tag)).toEqual(before);
      expect((await upstream.headManifest(built.repository, tag))?.digest).toBe(before?.digest);
      await expect(callEndpoint(service, endpoints.tagDrift, {})).rejects.toMatchObject({ code: 'forbidden' });
    } finally {
      await service.close();
    }
  });

  it('lets a principal publish only into its namespaces, and force only when allowed, under its own name', async () => {
    const alice = await identities.connect('alice');
    const bob = await identities.connect('bob');
    try {
      const before = await storageSnapshot(registry.storageDir);
      await expect(
        callEndpoint(alice, endpoints.publish, { bundle: variant(built.bundle, 'alice'), tag: `${guard.host}/${built.repository}:alice` }),
      ).rejects.toMatchObject({
        code: 'forbidden',
        message: `the principal alice may push only to repositories of its namespaces (team-a/...), not to ${built.repository}`,
      });
      expect(await storageSnapshot(registry.storageDir)).toEqual(before);

      const own = await callEndpoint(bob, endpoints.publish, { bundle: variant(built.bundle, 'bob'), tag: `${guard.host}/${built.repository}:bob` });
      expect(own.outcome).toBe('created');
      expect(await ledger.getTag(built.repository, 'bob')).toMatchObject({ principal: 'bob', digest: own.digest });
      await expect(
        callEndpoint(bob, endpoints.publish, { bundle: variant(built.bundle, 'bob again'), tag: `${guard.host}/${built.repository}:bob`, force: true }),
      ).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('principal "bob" is not allowed to force') });
      expect((await upstream.headManifest(built.repository, 'bob'))?.digest).toBe(own.digest);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('runs in front of an upstream that answers a direct write without the guard\'s credential with 401', async () => {
    const put = await fetch(`${registry.url}/v2/${built.repository}/manifests/${tag}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' },
      body: JSON.stringify({ schemaVersion: 2, manifests: [] }),
    });
    expect(put.status).toBe(401);
    expect((await fetch(`${registry.url}/v2/${built.repository}/blobs/uploads/`, { method: 'POST' })).status).toBe(401);
    expect((await upstream.headManifest(built.repository, tag))?.digest).toBe((await ledger.getTag(built.repository, tag))?.digest);
  });

  it('reports a tag rewritten in the upstream behind its back: a refusal, not "unchanged", the drift endpoint and the tag audit', async () => {
    const latest = variant(built.bundle, 'forced again');
    const ledgerDigest = (await ledger.getTag(built.repository, tag))!.digest;
    // Someone holding the upstream credential (the guard's host) puts the first index back under the tag.
    const first = await upstream.getManifest(built.repository, firstDigest);
    await upstream.putManifest(built.repository, tag, first.mediaType, first.body);

    await expect(publish(latest)).rejects.toMatchObject({
      code: 'conflict',
      message: `tag ${built.repository}:${tag} is ${ledgerDigest} in the guard's ledger but the upstream registry serves ${firstDigest}: it was changed behind the guard; push ${ledgerDigest} again with --force to restore it`,
    });
    const { drift } = await callEndpoint(nc, endpoints.tagDrift, {});
    expect(drift).toEqual([{ repository: built.repository, tag, ledgerDigest, upstreamDigest: firstDigest }]);
    const json = await runCli(cliHome, ['audit', 'tags', '--output', 'json']);
    expect(JSON.parse(json.stdout).at(-1)).toMatchObject({
      principal: 'upstream (changed behind the guard)',
      repository: built.repository,
      tag,
      oldDigest: ledgerDigest,
      newDigest: firstDigest,
    });

    const status = await runCli(cliHome, ['status', '--output', 'json']);
    expect(JSON.parse(status.stdout).tagDrift, status.stderr).toEqual(drift);
    const table = await runCli(cliHome, ['status']);
    expect(table.stdout).toContain(
      `changed behind the guard: ${built.repository}:${tag} is ${ledgerDigest} in the ledger, the upstream serves ${firstDigest}`,
    );

    const restored = await publish(latest, true);
    expect(restored).toMatchObject({ outcome: 'replaced', digest: ledgerDigest, previousDigest: firstDigest });
    expect((await upstream.headManifest(built.repository, tag))?.digest).toBe(ledgerDigest);
    expect((await callEndpoint(nc, endpoints.tagDrift, {})).drift).toEqual([]);
  });

  it('refuses an invalid bundle.json with one clear error and writes nothing upstream', async () => {
    const before = await storageSnapshot(registry.storageDir);
    const { invocationImages: _dropped, ...broken } = variant(built.bundle, 'invalid');
    // Typed as a bundle on purpose: the guard must refuse what a client that lies about the type sends.
    const attempt = publish(broken as Bundle, false, `${guard.host}/bundles/invalid:v1`);
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(attempt).rejects.toThrow(/invocationImages/);
    expect(await storageSnapshot(registry.storageDir)).toEqual(before);
    expect(await ledger.getTag('bundles/invalid', 'v1')).toBeUndefined();
  });

  it('refuses a tag in another registry and writes nothing upstream', async () => {
    const before = await storageSnapshot(registry.storageDir);
    const elsewhere = `${registry.host}/bundles/elsewhere:v1`;
    await expect(publish(variant(built.bundle, 'elsewhere'), false, elsewhere)).rejects.toMatchObject({
      code: 'invalid_request',
      message: `this guard publishes to ${guard.host}, not ${registry.host}`,
    });
    await expect(publish(built.bundle, false, `${guard.host}/bundles/elsewhere@${firstDigest}`)).rejects.toMatchObject({
      code: 'invalid_request',
    });
    expect(await storageSnapshot(registry.storageDir)).toEqual(before);
  });
});
