/**
 * Thick bundle archives: the same bundle digest gives the same bytes however often and whenever
 * it is archived; an archive publishes into another registry with the origin stopped, digests
 * unchanged; a truncated or tampered archive, or one missing a blob, is one clear error and
 * leaves the destination untouched.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { extract, pack } from 'tar-stream';
import { startRegistry, type TestRegistry } from '@lading/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciError, publishBundleArchive, pullBundle, RegistryClient, writeBundleArchive } from '../src/index.js';
import { publishTinyBundle } from './support/tiny-bundle.js';
import { pushTinyImage } from './support/tiny-image.js';

let origin: TestRegistry;
let destination: TestRegistry;
let dir: string;
let bundleDigest: string;
let invocation: Awaited<ReturnType<typeof pushTinyImage>>;
let referenced: Awaited<ReturnType<typeof pushTinyImage>>;
const archives = { first: '', second: '', gzip: '', gzipAgain: '' };
const progress: Array<[number, number]> = [];

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

interface TarEntry {
  name: string;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: Date;
  body: Buffer;
}

async function entriesOf(file: string): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  const reader = extract();
  reader.on('entry', (header, stream, next) => {
    const parts: Buffer[] = [];
    stream.on('data', (chunk: unknown) => void parts.push(chunk as Buffer));
    stream.on('end', () => {
      entries.push({ name: header.name, mode: header.mode, uid: header.uid, gid: header.gid, mtime: header.mtime, body: Buffer.concat(parts) });
      next();
    });
  });
  await pipeline(createReadStream(file), reader);
  return entries;
}

/** Re-packs an archive's entries after `change`; returns the new file. */
async function repacked(name: string, change: (entries: TarEntry[]) => TarEntry[]): Promise<string> {
  const entries = change(await entriesOf(archives.first));
  const writer = pack();
  for (const entry of entries) {
    if (entry.name.endsWith('/')) writer.entry({ name: entry.name, type: 'directory', mode: entry.mode });
    else writer.entry({ name: entry.name, type: 'file', mode: entry.mode }, entry.body);
  }
  writer.finalize();
  const file = join(dir, name);
  const parts: Buffer[] = [];
  for await (const chunk of writer) parts.push(chunk as Buffer);
  await writeFile(file, Buffer.concat(parts));
  return file;
}

/** The destination holds nothing of the bundle: no tag, no index, no blob. */
async function expectUntouched(target: RegistryClient, repository: string): Promise<void> {
  expect(await target.listTags(repository).catch(() => [])).toEqual([]);
  expect(await target.headManifest(repository, bundleDigest)).toBeUndefined();
  expect(await target.hasBlob(repository, `sha256:${createHash('sha256').update(invocation.layer).digest('hex')}`)).toBe(false);
}

async function refusal(file: string, repository: string): Promise<OciError> {
  const target = new RegistryClient({ registry: destination.host });
  const error = await publishBundleArchive(file, target, repository, 'v1', false).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(OciError);
  expect((error as OciError).message.split('\n')).toHaveLength(1);
  await expectUntouched(target, repository);
  return error as OciError;
}

beforeAll(async () => {
  [origin, destination] = await Promise.all([startRegistry(), startRegistry()]);
  dir = await mkdtemp(join(tmpdir(), 'lading-test-archive-'));
  const source = new RegistryClient({ registry: origin.host });
  ({ digest: bundleDigest, invocation, tool: referenced } = await publishTinyBundle(source));
  for (const [name, compression] of [['first', 'none'], ['gzip', 'gzip']] as const) {
    archives[name] = join(dir, `${name}.tar`);
    await writeBundleArchive(source, 'bundles/app', bundleDigest, archives[name], { compression, onProgress: (done, total) => progress.push([done, total]) });
  }
  // Later, so that any time that leaked into the archive would differ.
  await delay(1100);
  for (const [name, compression] of [['second', 'none'], ['gzipAgain', 'gzip']] as const) {
    archives[name] = join(dir, `${name}.tar`);
    await writeBundleArchive(source, 'bundles/app', bundleDigest, archives[name], { compression });
  }
  await origin.stop();
});

afterAll(async () => {
  await Promise.all([origin?.stop(), destination?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('bundle archives', () => {
  it('are byte-identical for the same bundle digest, made at different times, plain and gzip', async () => {
    expect(await sha256(archives.second)).toBe(await sha256(archives.first));
    expect(await sha256(archives.gzipAgain)).toBe(await sha256(archives.gzip));
    expect(await sha256(archives.gzip)).not.toBe(await sha256(archives.first));
  });

  it('hold an OCI layout in sorted entries with one owner, mode and time', async () => {
    const entries = await entriesOf(archives.first);
    const names = entries.map((entry) => entry.name);
    expect(names).toEqual([...names].sort());
    expect(names.slice(0, 2)).toEqual(['blobs/', 'blobs/sha256/']);
    expect(names.slice(-2)).toEqual(['index.json', 'oci-layout']);
    // The bundle index, config manifest, bundle.json, and two images of a manifest, config and layer each.
    expect(names.filter((name) => name.startsWith('blobs/sha256/') && name.length > 'blobs/sha256/'.length)).toHaveLength(9);
    expect(new Set(entries.map((entry) => `${entry.uid}:${entry.gid}:${entry.mtime?.toISOString()}`))).toEqual(new Set(['0:0:2000-01-01T00:00:00.000Z']));
    expect(new Set(entries.map((entry) => entry.mode))).toEqual(new Set([0o755, 0o644]));
    const index = JSON.parse(entries.find((entry) => entry.name === 'index.json')!.body.toString()) as { manifests: { digest: string }[] };
    expect(index.manifests.map((entry) => entry.digest)).toEqual([bundleDigest]);
  });

  it('report progress over every blob byte', () => {
    const [done, total] = progress.at(-1)!;
    expect(done).toBe(total);
    expect(total).toBeGreaterThan(0);
  });

  it('publish into another registry with the origin stopped: same digests, referenced images included, a tag written', async () => {
    const target = new RegistryClient({ registry: destination.host });
    const published = await publishBundleArchive(archives.gzip, target, 'moved/app', 'v1', false);
    expect(published).toEqual({ digest: bundleDigest, reference: `${destination.host}/moved/app@${bundleDigest}`, guardOutcome: undefined, signatures: [] });
    expect((await target.headManifest('moved/app', 'v1'))?.digest).toBe(bundleDigest);
    expect((await pullBundle(target, 'moved/app', bundleDigest)).invocationImage.digest).toBe(invocation.digest);
    expect((await target.headManifest('moved/app', referenced.digest))?.digest).toBe(referenced.digest);
    // Again: the same digest is no overwrite.
    await expect(publishBundleArchive(archives.first, target, 'moved/app', 'v1', false)).resolves.toMatchObject({ digest: bundleDigest });
  });

  it('refuse a tag that holds another digest unless forced, before anything is written', async () => {
    const target = new RegistryClient({ registry: destination.host });
    const other = await pushTinyImage(target, 'taken/app', 'other');
    await target.putManifest('taken/app', 'v1', other.mediaType, other.manifest);
    const error = await publishBundleArchive(archives.first, target, 'taken/app', 'v1', false).catch((caught: unknown) => caught);
    expect((error as OciError).message).toBe(`tag ${destination.host}/taken/app:v1 already holds ${other.digest}; publish with --force to replace it`);
    expect(await target.headManifest('taken/app', bundleDigest)).toBeUndefined();
    await publishBundleArchive(archives.first, target, 'taken/app', 'v1', true);
    expect((await target.headManifest('taken/app', 'v1'))?.digest).toBe(bundleDigest);
  });

  it('refuse a truncated archive in one sentence, writing nothing', async () => {
    const whole = await readFile(archives.gzip);
    const file = join(dir, 'truncated.tar.gz');
    await writeFile(file, whole.subarray(0, Math.floor(whole.length / 2)));
    expect((await refusal(file, 'truncated/app')).message).toMatch(/^Bundle archive .* is unusable: it is truncated or not a tar archive .*; nothing was published\.$/);
  });

  it('refuse a tampered blob in one sentence, writing nothing', async () => {
    const layer = `blobs/sha256/${createHash('sha256').update(invocation.layer).digest('hex')}`;
    const file = await repacked('tampered.tar', (entries) => entries.map((entry) => (entry.name === layer ? { ...entry, body: Buffer.from(entry.body.toString().toUpperCase()) } : entry)));
    expect((await refusal(file, 'tampered/app')).message).toContain(`Blob ${layer} of bundle archive ${file} has digest sha256:`);
  });

  it('refuse an archive whose index names a missing blob in one sentence, writing nothing', async () => {
    const layer = `blobs/sha256/${createHash('sha256').update(referenced.layer).digest('hex')}`;
    const file = await repacked('missing.tar', (entries) => entries.filter((entry) => entry.name !== layer));
    expect((await refusal(file, 'missing/app')).message).toBe(
      `Bundle archive ${file} is unusable: its index names blob sha256:${layer.slice('blobs/sha256/'.length)}, which it does not hold; nothing was published.`,
    );
  });

  it('refuse an entry no bundle layout has (a path that climbs out) in one sentence, writing nothing', async () => {
    const file = await repacked('escape.tar', (entries) => [...entries, { name: '../escape', body: Buffer.from('x') }]);
    expect((await refusal(file, 'escape/app')).message).toBe(`Bundle archive ${file} is unusable: it holds "../escape", which no OCI layout of a bundle has; nothing was published.`);
  });
});
