/**
 * Porter's dependencies v1 on the embedded stack, with two real exec bundles (see
 * dependency-bundles/README.md): the child is built and published, the parent is built against
 * it (pinned by digest in its bundle.json), and installing the parent installs the child first,
 * whose outputs — one plain, one sensitive — its step reads; the sensitive one is masked and found
 * in no CLI output or record. Uninstall goes parent first, then the child. A child that fails
 * stops the parent before anything of it starts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackPaths } from '@lading/stack/home';
import { readTrace } from '@lading/telemetry';
import { recordingCli, runCli, upOnFreePorts } from './cli-process.js';
import { leakForms, searchFiles } from './search-files.js';

const fixtures = resolve(import.meta.dirname, 'dependency-bundles');
const salt = randomBytes(8).toString('hex');
/** What the child derives from the database name the parent hands it and the salt given on the command line. */
const password = `pw-${createHash('sha256').update(`wordpress-${salt}`).digest('hex').slice(0, 32)}`;

/** That `text` holds `first`, and `then` after it. */
function expectInOrder(text: string, first: string, then: string): void {
  const at = text.indexOf(first);
  expect(at, `${first} in ${text}`).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(then), `${then} after ${first}`).toBeGreaterThan(at);
}

describe('a bundle that requires another, on the embedded stack', { shuffle: false }, () => {
  let home: string;
  let work: string;
  let registry: string;
  const started = new Date();
  const { cli, results: outputs } = recordingCli(() => home);
  const dir = (name: string) => join(work, name);

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'lading-deps-home-'));
    work = await mkdtemp(join(tmpdir(), 'lading-deps-work-'));
    registry = await upOnFreePorts(home);
    for (const name of await readdir(fixtures, { withFileTypes: true })) {
      if (!name.isDirectory()) continue;
      await cp(join(fixtures, name.name), dir(name.name), { recursive: true });
      const manifest = join(dir(name.name), 'porter.yaml');
      await writeFile(manifest, (await readFile(manifest, 'utf8')).replaceAll('REGISTRY', registry));
    }
  });

  afterAll(async () => {
    await runCli(home, ['down']);
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('refuses to build the parent while the bundle it requires is not published, saying so', async () => {
    const built = await cli('build', '--dir', dir('wordpress'));
    expect(built.code).toBe(1);
    expect(built.stderr).toMatch(/dependencies\.requires mysql 127\.0\.0\.1:\d+\/bundles\/mysql:v0\.1\.4 could not be read .*: publish it first/);
  });

  it('builds the parent against the published child, naming it by digest in bundle.json', async () => {
    expect((await cli('build', '--dir', dir('mysql'))).code).toBe(0);
    const published = await cli('publish', '--dir', dir('mysql'));
    expect(published.code, published.stderr).toBe(0);
    const built = await cli('build', '--dir', dir('wordpress'));
    expect(built.code, built.stderr).toBe(0);
    expect((await cli('publish', '--dir', dir('wordpress'))).code).toBe(0);
    const bundle = JSON.parse(await readFile(join(dir('wordpress'), '.lading', 'bundle.json'), 'utf8'));
    expect(bundle.requiredExtensions).toContain('io.cnab.dependencies');
    expect(bundle.custom['io.cnab.dependencies']).toEqual({ sequence: ['mysql'], requires: { mysql: { bundle: expect.stringMatching(new RegExp(`^${registry}/bundles/mysql@sha256:[0-9a-f]{64}$`)) } } });
    const explained = await cli('explain', '--dir', dir('wordpress'));
    expect(explained.stdout).toMatch(/dependency +mysql .*installed first as <installation>-mysql: \S+\/bundles\/mysql@sha256:/);
  });

  it('installs the child first, then the parent, whose step reads both outputs: the sensitive one masked', async () => {
    const install = await cli('install', 'wp', '--dir', dir('wordpress'), '--param', `mysql#salt=${salt}`);
    expect(install.code, install.stderr).toBe(0);
    expectInOrder(install.stderr, 'install wp-mysql: succeeded', 'install wp: run ');
    expect(install.stdout).toContain('mysql: database wordpress for wordpress ready');
    expect(install.stdout).toMatch(/wordpress: lading-wordpress on mysql@0\.1\.4 as user=wordpress password=\*+/);
    // The right value arrived: its digest, printed by the step, is the one of the password the child derived.
    expect(install.stdout).toContain(`password sha256 ${createHash('sha256').update(password).digest('hex')}`);
  });

  it("shows the parent's dependencies and the child's outputs, the sensitive one without its value", async () => {
    const shown = await cli('installations', 'show', 'wp', '--output', 'json');
    expect(JSON.parse(shown.stdout).dependencies).toEqual([{ alias: 'mysql', installation: 'wp-mysql', bundle: expect.stringContaining('/bundles/mysql@sha256:') }]);
    const listed = await cli('installations', 'outputs', 'wp-mysql', '--output', 'json');
    const byName = Object.fromEntries((JSON.parse(listed.stdout) as Array<{ name: string }>).map((output) => [output.name, output]));
    expect(byName['mysql-user']).toMatchObject({ sensitive: false, value: 'wordpress' });
    expect(byName['mysql-password']).toMatchObject({ sensitive: true, value: '*******' });
    const log = await cli('installations', 'logs', 'wp');
    expect(log.stdout).toContain('password=*');
  });

  it('upgrades the child first, by the digest the parent pins, and the parent reads its outputs again', async () => {
    const upgrade = await cli('upgrade', 'wp');
    expect(upgrade.code, upgrade.stderr).toBe(0);
    const pinned = JSON.parse(await readFile(join(dir('wordpress'), '.lading', 'bundle.json'), 'utf8')).custom['io.cnab.dependencies'].requires.mysql.bundle;
    expect(upgrade.stderr).toContain(`upgrade wp-mysql: run `);
    expect(upgrade.stderr).toContain(`(${pinned})`);
    expect(upgrade.stderr.indexOf('upgrade wp-mysql: succeeded')).toBeLessThan(upgrade.stderr.indexOf('upgrade wp: run '));
    // The child keeps the salt it was installed with (the broker remembers it), so the same password arrives.
    expect(upgrade.stdout).toContain(`password sha256 ${createHash('sha256').update(password).digest('hex')}`);
    // The command did not read the bundle first: the broker said its dependency runs first, and the
    // trace shows that answer as such, then the child's run and the parent's again.
    const traceId = /upgrade wp: trace ([0-9a-f]{32})/.exec(upgrade.stderr)?.[1] ?? '';
    const submits = (await readTrace(stackPaths(home).logsDir, traceId)).filter((span) => span.service === 'lading-cli' && span.name === 'run submit');
    expect(submits.map((span) => span.attributes?.['lading.run.dependencies_first'] === true)).toEqual([true, false, false]);
  });

  it('invokes a custom action on the child first, and passes over a child that lacks it', async () => {
    const ping = await cli('invoke', 'wp', '--action', 'ping');
    expect(ping.code, ping.stderr).toBe(0);
    expect(ping.stdout.indexOf('ping mysql')).toBeLessThan(ping.stdout.indexOf('ping wordpress'));
    expect(ping.stderr.indexOf('ping wp-mysql: succeeded')).toBeLessThan(ping.stderr.indexOf('ping wp: run '));
    const backup = await cli('invoke', 'wp', '--action', 'backup');
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stderr).toContain('backup wp-mysql: skipped, its bundle has no action backup');
    expect(backup.stdout).toContain('backup wordpress');
  });

  it('uninstalls the parent first, then the child', async () => {
    const uninstall = await cli('uninstall', 'wp');
    expect(uninstall.code, uninstall.stderr).toBe(0);
    expectInOrder(uninstall.stderr, 'uninstall wp: succeeded', 'uninstall wp-mysql: run ');
    expect(uninstall.stderr).toContain('uninstall wp-mysql: succeeded');
    expect(uninstall.stdout.indexOf('uninstall wordpress')).toBeLessThan(uninstall.stdout.indexOf('uninstall mysql'));
  });

  it('starts nothing of the parent when the child fails', async () => {
    const install = await cli('install', 'broken', '--dir', dir('wordpress'), '--param', 'mysql#fail=true');
    expect(install.code).toBe(3);
    expect(install.stderr).toContain('install broken-mysql: failed');
    expect(install.stderr).toContain('install broken: not started, its dependency mysql (broken-mysql) failed');
    expect(install.stderr).not.toContain('install broken: run ');
    const listed = await cli('installations', 'list', '--output', 'json');
    expect((JSON.parse(listed.stdout) as Array<{ name: string }>).map((item) => item.name)).not.toContain('broken');
  });

  it('refuses a value for a dependency the bundle does not require, starting nothing', async () => {
    const install = await cli('install', 'typo', '--dir', dir('wordpress'), '--param', 'postgres#salt=x');
    expect(install.code).toBe(1);
    expect(install.stderr.trim()).toBe('lading: --param postgres#salt names dependency postgres, which the bundle does not require; it requires mysql');
  });

  it("finds the sensitive output in no CLI output, no file of the stack home and no container's log", async () => {
    const forms = leakForms(password);
    const cliText = outputs.map((result) => result.stdout + result.stderr).join('');
    expect(cliText).toContain('password=*');
    for (const form of forms) expect(cliText).not.toContain(form);
    const inHome = await searchFiles(home, forms);
    expect(inHome.found).toEqual([]);
    expect(inHome.files, 'files read under the stack home').toBeGreaterThanOrEqual(20);
    const inContainers = await searchFiles('/var/lib/docker/containers', forms, started);
    expect(inContainers.found).toEqual([]);
  });
});
