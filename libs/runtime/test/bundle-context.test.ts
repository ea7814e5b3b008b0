import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleBuildContext, packBundleContext, unpackBundleContext } from '../src/index.js';
import { makeTar, readTar } from './tar-fixtures.js';

const limits = { maxBytes: 1024 * 1024, maxEntries: 100 };
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lading-test-context-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function bundleDir(name: string): Promise<string> {
  const dir = join(work, name);
  await mkdir(join(dir, 'scripts'), { recursive: true });
  await writeFile(join(dir, 'lading.yaml'), 'name: demo\n');
  await writeFile(join(dir, 'scripts', 'deploy.sh'), '#!/bin/sh\necho deploy\n');
  await chmod(join(dir, 'scripts', 'deploy.sh'), 0o755);
  return dir;
}

describe('packBundleContext → unpackBundleContext', () => {
  it('round-trips regular files, keeps the executable bit, skips .git and dereferences inner symlinks', async () => {
    const dir = await bundleDir('roundtrip');
    await mkdir(join(dir, '.git'));
    await writeFile(join(dir, '.git', 'config'), 'secret remote');
    await symlink('lading.yaml', join(dir, 'alias.yaml'));

    const files = await unpackBundleContext(await packBundleContext(dir, limits), limits);

    expect(files.map((file) => [file.path, file.mode, file.content.toString()])).toEqual([
      ['alias.yaml', 0o644, 'name: demo\n'],
      ['lading.yaml', 0o644, 'name: demo\n'],
      ['scripts/deploy.sh', 0o755, '#!/bin/sh\necho deploy\n'],
    ]);
  });

  it('refuses a symlink that points outside the bundle directory', async () => {
    const dir = await bundleDir('escape');
    await symlink('/etc/passwd', join(dir, 'passwd'));
    await expect(packBundleContext(dir, limits)).rejects.toThrow('Bundle file passwd is a symlink pointing outside the bundle directory');
  });

  it('refuses a relative symlink that climbs out of the bundle directory', async () => {
    const dir = await bundleDir('climb');
    await writeFile(join(work, 'outside.txt'), 'not yours');
    await symlink('../../outside.txt', join(dir, 'scripts', 'x'));
    await expect(packBundleContext(dir, limits)).rejects.toThrow('Bundle file scripts/x is a symlink pointing outside');
  });

  it('refuses special files', async () => {
    const dir = await bundleDir('fifo');
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    await expect(packBundleContext(dir, limits)).rejects.toThrow('Bundle file pipe is a device, fifo or socket');
  });

  it('refuses a directory over the size limit, naming the limit', async () => {
    const dir = await bundleDir('large');
    await writeFile(join(dir, 'big.bin'), Buffer.alloc(2048));
    await expect(packBundleContext(dir, { maxBytes: 1000 })).rejects.toThrow(/larger than the 1000-byte limit/);
  });
});

describe('unpackBundleContext refuses hostile archives', () => {
  const cases: Array<[string, Parameters<typeof makeTar>[0], RegExp]> = [
    ['a ".." segment', [{ name: 'ok.txt', content: 'x' }, { name: 'a/../../etc/cron.d/evil', content: 'x' }], /contains a "\.\." segment/],
    ['a bare ".."', [{ name: '../evil', content: 'x' }], /contains a "\.\." segment/],
    ['an absolute path', [{ name: '/etc/passwd', content: 'x' }], /is an absolute path/],
    ['a symlink', [{ name: 'link', type: 'symlink', linkname: '/etc/shadow' }], /entry link is a link/],
    ['a hard link', [{ name: 'a', content: 'x' }, { name: 'b', type: 'link', linkname: 'a' }], /entry b is a link/],
    ['a device', [{ name: 'dev', type: 'character-device' }], /entry dev is a character-device entry/],
    ['a duplicate entry', [{ name: 'a.txt', content: 'x' }, { name: './a.txt', content: 'y' }], /holds a\.txt more than once/],
    ['a file that is also a directory', [{ name: 'a', content: 'x' }, { name: 'a/b', content: 'y' }], /holds a both as a file and as a directory/],
    ['a backslash path', [{ name: '..\\evil', content: 'x' }], /contains a backslash/],
  ];
  for (const [what, entries, message] of cases) {
    it(`refuses ${what}`, async () => {
      await expect(unpackBundleContext(await makeTar(entries), limits)).rejects.toThrow(message);
    });
  }

  it('refuses an archive over the byte limit before reading the oversized entry', async () => {
    const archive = await makeTar([{ name: 'big', content: 'x'.repeat(5000) }]);
    await expect(unpackBundleContext(archive, { maxBytes: 4096, maxEntries: 10 })).rejects.toThrow('Bundle archive is larger than the 4096-byte limit');
  });

  it('refuses an archive with too many entries', async () => {
    const archive = await makeTar(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, content: 'x' })));
    await expect(unpackBundleContext(archive, { maxBytes: 4096, maxEntries: 4 })).rejects.toThrow('more than the 4-entry limit');
  });

  it('refuses bytes that are not a tar archive', async () => {
    await expect(unpackBundleContext(Buffer.from('this is not a tar archive'.repeat(40)), limits)).rejects.toThrow(/not a readable tar archive/);
  });

  it('strips setuid bits from file modes', async () => {
    const files = await unpackBundleContext(await makeTar([{ name: 'tool', content: 'x', mode: 0o4755 }]), limits);
    expect(files[0]?.mode).toBe(0o755);
  });
});

describe('assembleBuildContext', () => {
  it('places user files under app/, the run script at run (0755) and the Dockerfile at the root', async () => {
    const context = assembleBuildContext({
      files: [{ path: 'scripts/deploy.sh', mode: 0o755, content: Buffer.from('echo hi') }],
      dockerfile: 'FROM scratch\n',
      runScript: '#!/bin/sh\n',
    });
    const entries = await readTar(context);
    expect(entries.get('Dockerfile')).toMatchObject({ mode: 0o644, content: 'FROM scratch\n' });
    expect(entries.get('run')).toMatchObject({ mode: 0o755, content: '#!/bin/sh\n' });
    expect(entries.get('app/scripts/deploy.sh')).toMatchObject({ mode: 0o755, content: 'echo hi' });
    expect(entries.get('app/scripts/')).toMatchObject({ type: 'directory' });
  });

  it('refuses a file path that climbs out of app/', () => {
    expect(() =>
      assembleBuildContext({ files: [{ path: '../Dockerfile', mode: 0o644, content: Buffer.from('FROM evil') }], dockerfile: 'FROM scratch', runScript: '' }),
    ).toThrow(/contains a "\.\." segment/);
  });
});
