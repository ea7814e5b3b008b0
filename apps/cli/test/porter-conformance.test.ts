/**
 * Public porter.yaml bundles (see porter-bundles/README.md for where each comes from), used as
 * their authors wrote them: each is linted, and each Lading can read is built, published and run
 * on the real stack through the `lading` command, with credentials and parameters from sets.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBaseImage } from '@lading/contracts';
import { freePort } from '@lading/testkit';
import { runCli } from './cli-process.js';

const fixtures = resolve(import.meta.dirname, 'porter-bundles');

/**
 * What Lading says of each bundle: it builds unchanged; it lints clean but names an image on a
 * registry this stack does not reach (checked up to the network: see `offline`); or the first
 * line of each refusal it lists.
 */
const verdicts: Record<string, 'builds' | 'lints' | string[]> = {
  'porter-create-template': 'builds',
  'porter-bundle-with-custom-action': 'builds',
  'porter-bundle-with-string-params': 'builds',
  'porter-bundle-with-credentials': 'builds',
  'porter-bundle-with-credential-set-upgrade': 'builds',
  'porter-bundle-with-param-set-upgrade': 'builds',
  'porter-bundle-with-failing-install': 'builds',
  'porter-bundle-with-file-params': 'builds',
  'porter-exec-local-script': 'builds',
  'porter-exec-local-script-with-prefix': 'builds',
  'porter-bundle-with-sensitive-data': 'builds',
  'porter-bundle-with-object-params': 'builds',
  'examples-plugins-tutorial': 'builds',
  'porter-bundle-with-image': 'lints',
  'examples-hello': ['parameters[0].source is not supported yet'],
  'examples-sensitive-data': ['parameters[0].source is not supported yet'],
  'examples-credentials-tutorial': ['dockerfile is not supported yet'],
  'examples-private-assets': ['dockerfile is not supported yet'],
  'examples-exec-outputs': ['dockerfile is not supported yet', 'parameters[0].source is not supported yet', 'parameters[1].source is not supported yet'],
  // Its uninstall templates an output only its upgrade writes: an earlier run's output, which reaches a later action through parameters[].source.
  'porter-outputs-example': ['uninstall[0].exec.arguments[1] refers to output "user-output"'],
  'porter-bundle-with-state': ['state is not supported yet'],
  'porter-bundle-with-modifies-false-action': ['state is not supported yet'],
  'porter-bundle-with-persistent-params': ['parameters[0].persistent is not supported yet'],
};

/** Bundles whose images are on Docker Hub, which this machine cannot reach: the build refuses them before contacting it. */
const offline: Record<string, RegExp> = {
  'porter-bundle-with-image': /is on registry docker\.io, which this stack does not contact/,
};

let home: string;
let work: string;
const cli = (...args: string[]) => runCli(home, args);

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'lading-porter-home-'));
  work = await mkdtemp(join(tmpdir(), 'lading-porter-work-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

describe('lading lint on public porter.yaml bundles', () => {
  it('has a verdict for every stored bundle', async () => {
    expect((await readdir(fixtures, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort()).toEqual(Object.keys(verdicts).sort());
  });

  it.each(Object.entries(verdicts))('%s', async (name, verdict) => {
    const result = await cli('lint', '--dir', join(fixtures, name));
    if (verdict === 'builds' || verdict === 'lints') {
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('no problems');
      return;
    }
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines.map((line) => line.replace(/^.*porter\.yaml:\d+:\d+: /, ''))).toEqual(verdict.map((start) => expect.stringContaining(start)));
    expect(result.stderr).toContain(`${verdict.length} problem`);
  });
});

describe('public porter.yaml bundles on the embedded stack', { shuffle: false }, () => {
  let registry: string;
  let baseHasBash = false;
  const references = new Map<string, string>();

  beforeAll(async () => {
    const [nats, guard, upstream] = [await freePort(), await freePort(), await freePort()];
    const up = await cli('up', '--nats-port', String(nats), '--guard-port', String(guard), '--upstream-port', String(upstream));
    expect(up.code, up.stderr).toBe(0);
    registry = `127.0.0.1:${guard}`;
    // Porter's bundles call bash; the busybox base has none, the Debian one has it.
    const base = defaultBaseImage(registry);
    execFileSync('docker', ['pull', '-q', base]);
    baseHasBash = execFileSync('docker', ['run', '--rm', '--entrypoint', '/bin/sh', base, '-c', 'command -v bash || true'], { encoding: 'utf8' }).trim() !== '';
  });
  afterAll(async () => {
    await cli('down');
  });

  const buildable = Object.entries(verdicts).flatMap(([name, verdict]) => (verdict === 'builds' ? [name] : []));

  it.each(buildable)('%s builds unchanged and publishes under --registry', async (name) => {
    // A copy, so the build's .lading/ lands outside the repository.
    const dir = join(work, name);
    await cp(join(fixtures, name), dir, { recursive: true });
    // Several of them are porter-hello 0.1.0: each gets a registry path of its own, as no tag is overwritten.
    const built = await cli('build', '--dir', dir, '--registry', `${registry}/bundles/${name}`);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout).toContain('(the default)');
    const published = await cli('publish', '--dir', dir);
    expect(published.code, published.stderr).toBe(0);
    const reference = /reference (\S+)/.exec(published.stdout)?.[1];
    expect(reference).toMatch(/@sha256:[a-f0-9]{64}$/);
    references.set(name, String(reference));
  });

  it.each(Object.entries(offline))('%s reads its images.*.image form and is refused at build, naming the registry it would need', async (name, refusal) => {
    const dir = join(work, name);
    await cp(join(fixtures, name), dir, { recursive: true });
    const built = await cli('build', '--dir', dir, '--registry', `${registry}/bundles/${name}`);
    expect(built.code).not.toBe(0);
    expect(built.stderr).toMatch(refusal);
  });

  it('porter-bundle-with-credentials requires its credential, as Porter does', async () => {
    const explained = await cli('explain', String(references.get('porter-bundle-with-credentials')), '--output', 'json');
    const entries = JSON.parse(explained.stdout).entries as { kind: string; name: string; required: boolean }[];
    expect(entries.find((entry) => entry.name === 'kubeconfig')).toMatchObject({ kind: 'credential', required: true });
  });

  const runs: [string, string[], string][] = [
    ['porter-create-template', [], 'Hello World'],
    ['porter-exec-local-script', [], 'Installing via helper script'],
    ['porter-bundle-with-string-params', ['--param', 'name=lading'], 'Hello, lading'],
    // `${{ bundle.parameters.config.name }}`: a field of an object parameter, rendered when the step runs.
    ['porter-bundle-with-object-params', ['--param', 'config={"name": "inline-config"}'], 'Config name: inline-config'],
  ];

  it.for(runs)('%s installs as its author intends (needs bash in the base image)', async ([name, extra, expected], context) => {
    if (!baseHasBash) context.skip('the base image has no bash yet; these bundles run once the Debian base is the default');
    const install = await cli('install', `${name.slice(0, 40)}-demo`, '--reference', String(references.get(name)), ...extra);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain(expected);
  });

  it('porter-bundle-with-object-params refuses a value outside its parameter\'s JSON Schema in one sentence, starting nothing', async () => {
    const refused = await cli('install', 'object-params-bad', '--reference', String(references.get('porter-bundle-with-object-params')), '--param', 'config=name=x');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim()).toBe('lading: parameter config must be written as JSON (an object such as {"name": "x"})');
    const listed = await cli('installations', 'list', '--output', 'json');
    expect(listed.stdout).not.toContain('object-params-bad');
  });

  it('porter-outputs-example captures step outputs by jsonPath and templates them in later steps (needs bash)', async (context) => {
    if (!baseHasBash) context.skip('the base image has no bash yet');
    // As its authors wrote it, less its uninstall, which reads an output of an earlier run (see verdicts).
    const dir = join(work, 'outputs-example');
    await cp(join(fixtures, 'porter-outputs-example'), dir, { recursive: true });
    const manifest = join(dir, 'porter.yaml');
    const text = await readFile(manifest, 'utf8');
    await writeFile(manifest, text.slice(0, text.indexOf('\nuninstall:')) + '\n');
    expect((await cli('build', '--dir', dir, '--registry', `${registry}/bundles/outputs-example`)).code).toBe(0);
    const published = await cli('publish', '--dir', dir);
    expect(published.code, published.stderr).toBe(0);
    const reference = String(/reference (\S+)/.exec(published.stdout)?.[1]);
    const install = await cli('install', 'outputs-demo', '--reference', reference);
    expect(install.code, install.stderr).toBe(0);
    // `dump {{ bundle.outputs.user }}` echoes what `$.user` took from the first step's JSON: a step
    // output no bundle output declares, masked as Porter masks it.
    expect(install.stdout).toMatch(/\| \*+\n/);
    expect(install.stdout).not.toContain('sally');
    // The upgrade's own assertion fails the run unless `{{ bundle.outputs.user-output }}` is sally.
    const upgrade = await cli('upgrade', 'outputs-demo', '--reference', reference);
    expect(upgrade.code, upgrade.stdout + upgrade.stderr).toBe(0);
    const output = await cli('installations', 'outputs', 'show', 'outputs-demo', 'user-output');
    expect(output.stdout).toBe('sally');
  });

  it('plugins-tutorial gets its credential from a set, and its value is masked (needs bash)', async (context) => {
    if (!baseHasBash) context.skip('the base image has no bash yet');
    expect((await runCli(home, ['secrets', 'set', 'magic-password', '--from-stdin'], 'opensesame-7f3a')).code).toBe(0);
    const set = join(work, 'plugins-creds.yaml');
    await writeFile(set, 'schemaVersion: 1.0.1\nname: plugins-creds\ncredentials:\n  - { name: password, source: { secret: magic-password } }\n');
    expect((await cli('credentials', 'apply', set)).code).toBe(0);
    const install = await cli('install', 'plugins-demo', '--reference', String(references.get('examples-plugins-tutorial')), '--cred', 'plugins-creds');
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain('Using Magic Password: ***');
    expect(install.stdout + install.stderr).not.toContain('opensesame-7f3a');
  });

  it('a bundle from `lading create --porter` installs, upgrades and uninstalls on the default base', async () => {
    const dir = join(work, 'created');
    expect((await cli('create', '--porter', dir)).code).toBe(0);
    const built = await cli('build', '--dir', dir);
    expect(built.code, built.stderr).toBe(0);
    const published = await cli('publish', '--dir', dir);
    expect(published.code, published.stderr).toBe(0);
    const reference = String(/reference (\S+)/.exec(published.stdout)?.[1]);
    const install = await cli('install', 'created-demo', '--reference', reference, '--param', 'name=porter user');
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain('Hello, porter user');
    // As in Porter, the installation remembers the value its last successful run was given.
    const upgrade = await cli('upgrade', 'created-demo', '--reference', reference);
    expect(upgrade.code, upgrade.stderr).toBe(0);
    expect(upgrade.stdout).toContain('Hello again, porter user');
    const uninstall = await cli('uninstall', 'created-demo', '--reference', reference, '--param', 'name=lading');
    expect(uninstall.code, uninstall.stderr).toBe(0);
    expect(uninstall.stdout).toContain('Goodbye, lading');
  });
});
