/**
 * The `lading` npm package as a user gets it: the CLI is bundled, packed with `npm pack`, and
 * installed from the tarball into empty prefixes, offline (nothing of this checkout, no registry).
 * The installed command must start, report its version and scaffold a bundle.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cliDir = resolve(import.meta.dirname, '..');
const bundler = resolve(cliDir, '../../tools/build/bundle-app.mjs');

/** The environment of a machine with Node and nothing of this repository: no source condition, no module path. */
function bareEnvironment(home: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(NODE_OPTIONS|NODE_PATH|LADING_|npm_)/.test(name)));
  return { ...env, LADING_HOME: join(home, 'lading-home'), HOME: home, npm_config_cache: join(home, 'npm-cache') };
}

describe('the packed lading package', () => {
  let work: string;
  let tarball: string;
  let packedFiles: string[];
  const version = async () => (JSON.parse(await readFile(join(cliDir, 'package.json'), 'utf8')) as { version: string }).version;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'lading-packed-'));
    // Bundle from the current sources, so the tarball is what this checkout would ship.
    await run(process.execPath, [bundler], { cwd: cliDir });
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: cliDir, env: bareEnvironment(work) });
    const [packed] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
    tarball = join(work, packed.filename);
    packedFiles = packed.files.map((file) => file.path);
    // One offline install into an empty prefix that every test may run from, whatever their order.
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--prefix', join(work, 'local'), tarball], { cwd: work, env: bareEnvironment(work) });
  });

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('holds compiled JavaScript and its manifest only: no TypeScript, no tests', () => {
    expect(packedFiles).toContain('package.json');
    expect(packedFiles).toContain('dist/main.js');
    expect(packedFiles.filter((path) => !path.startsWith('dist/') && !['package.json', 'bin/lading.mjs'].includes(path))).toEqual([]);
    expect(packedFiles.filter((path) => path.endsWith('.ts'))).toEqual([]);
  });

  it('installs with `npm install --prefix` offline and runs --version and create from there', async () => {
    const prefix = join(work, 'local');
    const env = bareEnvironment(work);
    // Everything is bundled: the package brings no dependency along.
    expect((await readdir(join(prefix, 'node_modules'))).filter((name) => !name.startsWith('.'))).toEqual(['@lading']);
    const lading = join(prefix, 'node_modules', '.bin', 'lading');

    const shown = await run(lading, ['--version'], { cwd: work, env });
    expect(shown.stdout.trim()).toBe(await version());

    await run(lading, ['create', join(work, 'hello'), '--name', 'hello'], { cwd: work, env });
    expect(await readFile(join(work, 'hello', 'lading.yaml'), 'utf8')).toMatch(/^name: hello$/m);
  });

  it('installs globally (`npm install -g`) into an empty prefix and its bin runs', async () => {
    const prefix = join(work, 'global');
    const env = bareEnvironment(work);
    await run('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball], { cwd: work, env });
    const shown = await run(join(prefix, 'bin', 'lading'), ['--version'], { cwd: work, env });
    expect(shown.stdout.trim()).toBe(await version());
  });

  it('refuses to scaffold over an existing bundle with one sentence, changing nothing', async () => {
    const lading = join(work, 'local', 'node_modules', '.bin', 'lading');
    await run(lading, ['create', join(work, 'existing'), '--name', 'existing'], { cwd: work, env: bareEnvironment(work) });
    const before = await readFile(join(work, 'existing', 'lading.yaml'), 'utf8');
    const refused = await run(lading, ['create', join(work, 'existing')], { cwd: work, env: bareEnvironment(work) }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect('code' in refused && refused.code).toBe(1);
    expect('stderr' in refused && refused.stderr).toMatch(/^lading: .* already has a lading\.yaml: nothing was changed\n$/);
    expect(await readFile(join(work, 'existing', 'lading.yaml'), 'utf8')).toBe(before);
  });

  it('refuses `lading up` outside a checkout with one sentence, starting nothing', async () => {
    const lading = join(work, 'local', 'node_modules', '.bin', 'lading');
    const refused = await run(lading, ['up'], { cwd: work, env: bareEnvironment(work) }).catch((error: { code: number; stderr: string }) => error);
    expect('code' in refused && refused.code).toBe(1);
    expect('stderr' in refused && refused.stderr).toBe('lading: lading up starts the services of a Lading checkout, and this lading is not inside one: run it from a checkout\n');
    expect(await readdir(work)).not.toContain('lading-home');
  });
});
