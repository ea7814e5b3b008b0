import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleBuildContext, bundleFileFilter, packBundleContext, unpackBundleContext } from '../src/internal.js';
import { readTar } from './tar-fixtures.js';

const limits = { maxBytes: 1024 * 1024, maxEntries: 100 };
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lading-test-dockerignore-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('bundleFileFilter reads .dockerignore as Docker does', () => {
  const ignored = bundleFileFilter(
    ['# a comment', '', '.gitignore', '/Dockerfile.tmpl', '*.log', 'docs/**/*.md', '!docs/keep.md', 'build', 'tmp?', '[ab].txt'].join('\n'),
  );
  it.each([
    ['.gitignore', true],
    ['Dockerfile.tmpl', true],
    ['debug.log', true],
    ['logs/debug.log', false],
    ['docs/a.md', true],
    ['docs/deep/er/b.md', true],
    ['docs/keep.md', false],
    ['build/out/bin', true],
    ['builder.sh', false],
    ['tmp1', true],
    ['tmp12', false],
    ['a.txt', true],
    ['c.txt', false],
    ['helpers.sh', false],
    ['.lading/bundle.json', true],
    ['.git/config', true],
  ])('%s → left out: %s', (path, expected) => {
    expect(ignored(path)).toBe(expected);
  });

  it('cannot bring .lading/ back with a "!" line', () => {
    expect(bundleFileFilter('!.lading/bundle.json\n')('.lading/bundle.json')).toBe(true);
  });
});

describe('the build context honours .dockerignore', () => {
  it('leaves ignored files and the last build out of the upload and out of the image context', async () => {
    const dir = join(work, 'bundle');
    await mkdir(join(dir, '.lading'), { recursive: true });
    await mkdir(join(dir, 'notes'), { recursive: true });
    await writeFile(join(dir, 'porter.yaml'), 'name: demo\n');
    await writeFile(join(dir, 'helpers.sh'), '#!/bin/sh\n');
    await writeFile(join(dir, '.dockerignore'), '.gitignore\nnotes\n');
    await writeFile(join(dir, '.gitignore'), '.lading\n');
    await writeFile(join(dir, 'notes', 'private.txt'), 'not for the image');
    await writeFile(join(dir, '.lading', 'bundle.json'), '{}');

    const uploaded = await unpackBundleContext(await packBundleContext(dir, limits), limits);
    expect(uploaded.map((file) => file.path)).toEqual(['.dockerignore', 'helpers.sh', 'porter.yaml']);

    // A client that uploads everything anyway: the builder applies the same rules.
    const everything = [...uploaded, ...['.gitignore', 'notes/private.txt', '.lading/bundle.json'].map((path) => ({ path, mode: 0o644, content: Buffer.from('x') }))];
    const context = assembleBuildContext({ files: everything, dockerfile: 'FROM scratch\n', runScript: '#!/bin/sh\n' });
    const entries = [...(await readTar(context)).keys()];
    expect(entries.filter((name) => name.startsWith('app/') && !name.endsWith('/'))).toEqual(['app/.dockerignore', 'app/helpers.sh', 'app/porter.yaml']);
  });

  it('sends a kept file (the manifest\'s Dockerfile template) that .dockerignore leaves out, and it still stays out of the image', async () => {
    const dir = join(work, 'templated');
    await mkdir(join(dir, '.lading'), { recursive: true });
    await writeFile(join(dir, 'porter.yaml'), 'dockerfile: Dockerfile.tmpl\n');
    await writeFile(join(dir, 'Dockerfile.tmpl'), 'FROM scratch\n');
    await writeFile(join(dir, 'secret.txt'), 'left out');
    await writeFile(join(dir, '.dockerignore'), 'Dockerfile.tmpl\nsecret.txt\n');
    await writeFile(join(dir, '.lading', 'bundle.json'), '{}');

    const uploaded = await unpackBundleContext(await packBundleContext(dir, { ...limits, keep: ['Dockerfile.tmpl', '.lading/bundle.json'] }), limits);
    // .lading/ is never sent, kept or not.
    expect(uploaded.map((file) => file.path)).toEqual(['.dockerignore', 'Dockerfile.tmpl', 'porter.yaml']);
    const context = assembleBuildContext({ files: uploaded, dockerfile: 'FROM scratch\n', runScript: '#!/bin/sh\n' });
    const entries = [...(await readTar(context)).keys()];
    expect(entries.filter((name) => name.startsWith('app/') && !name.endsWith('/'))).toEqual(['app/.dockerignore', 'app/porter.yaml']);
  });
});
