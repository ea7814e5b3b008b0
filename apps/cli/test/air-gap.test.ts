/**
 * A bundle crosses an air gap: published with two referenced images on stack A, archived (twice,
 * at different times: the same sha256), stack A stopped entirely, the archive published into
 * stack B (other ports, other LADING_HOME) and installed there. The bundle prints its relocation
 * mapping: every image it names, at B, by the digest it had at A — and B's runner found each one
 * there before it started the bundle; A was not running to be contacted. The bundle was signed on
 * A; its signatures travel in the archive and verify on B, and another key is refused.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaTypes, parseReference, RegistryClient, sha256Digest } from '@lading/oci/internal';
import { readCredentialsFile, readStackFile } from '@lading/stack/internal';
import { freePort } from '@lading/testkit';
import { runCli } from './cli-process.js';

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

/** Pushes a one-layer image under a tag through a stack's front door, as its administrator. */
async function pushSmallImage(home: string, repository: string, tag: string): Promise<void> {
  const stack = await readStackFile(home);
  if (!stack) throw new Error(`no stack is recorded in ${home}`);
  const admin = await readCredentialsFile(stack.admin.credentialsFile);
  const client = new RegistryClient({ registry: stack.frontDoor, credentials: { username: admin.principal, password: admin.password } });
  const layer = Buffer.from('a tool the bundle references');
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256Digest(layer)] } }));
  await client.uploadBlob(repository, layer);
  await client.uploadBlob(repository, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaTypes.ociManifest,
      config: { mediaType: MediaTypes.ociConfig, digest: sha256Digest(config), size: config.length },
      layers: [{ mediaType: MediaTypes.ociLayerTar, digest: sha256Digest(layer), size: layer.length }],
    }),
  );
  await client.putManifest(repository, tag, MediaTypes.ociManifest, manifest);
}

async function up(home: string): Promise<string> {
  const [nats, guard, upstream] = [await freePort(), await freePort(), await freePort()];
  const started = await runCli(home, ['up', '--nats-port', String(nats), '--guard-port', String(guard), '--upstream-port', String(upstream)]);
  expect(started.code, started.stderr).toBe(0);
  return `127.0.0.1:${guard}`;
}

// One journey in steps: publish on A, archive, stop A, publish and install on B.
describe('a bundle across an air gap', { shuffle: false }, () => {
  let homeA: string;
  let homeB: string;
  let work: string;
  let registryA: string;
  let registryB: string;
  let bundle: { invocationImages: { image: string }[]; images: Record<string, { image: string }> };
  const archive = () => join(work, 'airgap.tar.gz');

  beforeAll(async () => {
    [homeA, homeB, work] = await Promise.all(['a', 'b', 'work'].map((name) => mkdtemp(join(tmpdir(), `lading-airgap-${name}-`))));
    registryA = await up(homeA);
    registryB = await up(homeB);
  });

  afterAll(async () => {
    await runCli(homeA, ['down']);
    await runCli(homeB, ['down']);
    await Promise.all([homeA, homeB, work].map((dir) => dir && rm(dir, { recursive: true, force: true })));
  });

  it('publishes on A a bundle that references two images', async () => {
    await pushSmallImage(homeA, 'tools/tool', 'v1');
    const dir = join(work, 'airgap');
    await mkdir(dir);
    await writeFile(
      join(dir, 'lading.yaml'),
      `schemaVersion: 1.0.0
name: airgap
version: 0.1.0
registry: ${registryA}/bundles
baseImage: ${registryA}/lading/busybox:stable
images:
  base: { repository: ${registryA}/lading/busybox, tag: stable }
  tool: { repository: ${registryA}/tools/tool, tag: v1 }
install:
  - exec: { description: Show the relocation mapping, command: cat, arguments: [/cnab/app/relocation-mapping.json] }
  - exec: { description: Name the tool as templates render it, command: echo, arguments: ['TOOL={{ bundle.images.tool.repository }}@{{ bundle.images.tool.digest }}'] }
`,
    );
    const built = await runCli(homeA, ['build', '--dir', dir]);
    expect(built.code, built.stderr).toBe(0);
    for (const prefix of ['signer', 'stranger']) {
      const generated = await runCli(homeA, ['keys', 'generate', join(work, prefix)], undefined, { LADING_KEY_PASSWORD: `${prefix} passphrase` });
      expect(generated.code, generated.stderr).toBe(0);
    }
    const published = await runCli(homeA, ['publish', '--dir', dir, '--sign', join(work, 'signer.key')], undefined, { LADING_KEY_PASSWORD: 'signer passphrase' });
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout.match(/^ {2}signed /gm)).toHaveLength(4);
    bundle = JSON.parse(await readFile(join(dir, '.lading', 'bundle.json'), 'utf8'));
  });

  it('archives it twice, at different times, to the same bytes, then stops A entirely', async () => {
    const first = await runCli(homeA, ['archive', archive(), '--reference', `${registryA}/bundles/airgap:v0.1.0`]);
    expect(first.code, first.stderr).toBe(0);
    const firstSum = await sha256(archive());
    expect(first.stdout).toContain(`sha256 ${firstSum}`);
    await delay(1100);
    const again = join(work, 'again.tar.gz');
    expect((await runCli(homeA, ['archive', again, '--reference', `${registryA}/bundles/airgap:v0.1.0`])).code).toBe(0);
    expect(await sha256(again)).toBe(firstSum);
    const down = await runCli(homeA, ['down']);
    expect(down.code, down.stderr).toBe(0);
    await expect(new RegistryClient({ registry: registryA }).headManifest('bundles/airgap', 'v0.1.0')).rejects.toThrow();
  });

  it('publishes the archive into B through its guard, digest unchanged', async () => {
    const published = await runCli(homeB, ['publish', '--archive', archive(), '--reference', `${registryB}/bundles/airgap:v0.1.0`]);
    expect(published.code, published.stderr).toBe(0);
    expect(published.stderr).not.toContain('no Lading guard');
    const digest = /digest (sha256:[a-f0-9]{64})/.exec(published.stdout)?.[1];
    const archivedIndex = JSON.parse((await runCli(homeB, ['inspect', `${registryB}/bundles/airgap@${digest}`, '--output', 'json'])).stdout);
    expect(archivedIndex.name).toBe('airgap');
    // Publishing the same archive again changes nothing; another bundle on the tag would need --force.
    const again = await runCli(homeB, ['publish', '--archive', archive(), '--reference', `${registryB}/bundles/airgap:v0.1.0`]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('already there');
  });

  it('explains on B where each image is now and that each carries a signature', async () => {
    const explained = await runCli(homeB, ['explain', `${registryB}/bundles/airgap:v0.1.0`, '--output', 'json']);
    expect(explained.code, explained.stderr).toBe(0);
    const rows = JSON.parse(explained.stdout).relocation as Array<{ kind: string; original: string; relocated: string; signature: string }>;
    expect(rows.map((row) => row.kind)).toEqual(['bundle', 'invocation', 'image', 'image']);
    for (const row of rows) {
      expect(row.relocated.startsWith(`${registryB}/bundles/airgap@sha256:`)).toBe(true);
      expect(row.signature).toMatch(/^present \(sha256-[a-f0-9]{64}\.sig\)$/);
    }
    const table = await runCli(homeB, ['inspect', `${registryB}/bundles/airgap:v0.1.0`]);
    expect(table.stdout).toMatch(/RELOCATED\s+SIGNATURE/);
  });

  it('refuses to install from B under a key that did not sign it, running nothing', async () => {
    const refused = await runCli(homeB, ['install', 'stranger', '--reference', `${registryB}/bundles/airgap:v0.1.0`, '--verify', join(work, 'stranger.pub')]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('carries no signature that this key verifies: nothing was run');
    expect(JSON.parse((await runCli(homeB, ['installations', 'list', '--output', 'json'])).stdout)).toEqual([]);
  });

  it('installs from B, verified under the signing key, its signatures carried in the archive: the bundle sees every image at B by its original digest', async () => {
    const install = await runCli(homeB, ['install', 'airgap', '--reference', `${registryB}/bundles/airgap:v0.1.0`, '--verify', join(work, 'signer.pub')]);
    expect(install.code, install.stderr).toBe(0);
    const printed = install.stdout
      .split('\n')
      .filter((line) => line.startsWith('| '))
      .map((line) => line.slice(2));
    const mapping = JSON.parse(printed.slice(printed.indexOf('{'), printed.indexOf('}') + 1).join('\n')) as Record<string, string>;
    const originals = [bundle.invocationImages[0].image, bundle.images.base.image, bundle.images.tool.image];
    expect(Object.keys(mapping).sort()).toEqual([...originals].sort());
    for (const original of originals) {
      expect(parseReference(original).registry).toBe(registryA);
      expect(mapping[original]).toBe(`${registryB}/bundles/airgap@${parseReference(original).digest}`);
    }
    expect(printed).toContain(`TOOL=${registryB}/bundles/airgap@${parseReference(bundle.images.tool.image).digest}`);
  });
});
