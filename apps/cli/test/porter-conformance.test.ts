/**
 * Public porter.yaml bundles (see porter-bundles/README.md for where each comes from), used as
 * their authors wrote them: each is linted, and each Lading can read is built, published and run
 * on the real stack through the `lading` command, with credentials and parameters from sets.
 */
import { execFileSync } from 'node:child_process';
import { chmod, cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBaseImage } from '@lading/contracts';
import { freePort } from '@lading/testkit';
import { runCli } from './cli-process.js';

const fixtures = resolve(import.meta.dirname, 'porter-bundles');

/**
 * What Lading says of each bundle: it builds unchanged; it lints clean but its build needs what
 * this machine lacks, an image on a registry this stack does not reach (checked up to the
 * network: see `offline`) or a template's base on Docker Hub (see the dockerfile template tests
 * below); or the first line of each refusal it lists.
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
  'examples-hello': 'builds',
  'examples-sensitive-data': 'builds',
  // Their templates start FROM Docker Hub's debian:stable-slim.
  'examples-credentials-tutorial': 'lints',
  'examples-private-assets': 'lints',
  'examples-exec-outputs': 'lints',
  // Its uninstall templates an output only its upgrade writes: read from the generated porter-user-output-output parameter.
  'porter-outputs-example': 'builds',
  'porter-bundle-with-state': 'builds',
  'porter-bundle-with-modifies-false-action': 'builds',
  'porter-bundle-with-persistent-params': 'builds',
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
    // No build step reaches the network, so a template's downloads fail here as on a machine without internet.
    const up = await runCli(home, ['up', '--nats-port', String(nats), '--guard-port', String(guard), '--upstream-port', String(upstream)], undefined, { LADING_BUILD_EGRESS: 'off' });
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

  it('porter-outputs-example captures step outputs by jsonPath, templates them in later steps and its uninstall sees the upgrade\'s output (needs bash)', async (context) => {
    if (!baseHasBash) context.skip('the base image has no bash yet');
    const reference = String(references.get('porter-outputs-example'));
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
    // The uninstall writes no user-output: `dump {{ bundle.outputs.user-output }}` echoes the value the upgrade recorded.
    const uninstall = await cli('uninstall', 'outputs-demo', '--reference', reference);
    expect(uninstall.code, uninstall.stdout + uninstall.stderr).toBe(0);
    expect(uninstall.stdout).toMatch(/\| sally\n/);
  });

  it('porter-outputs-example: an uninstall after no upgrade has no recorded user-output, and echoes nothing of it', async (context) => {
    if (!baseHasBash) context.skip('the base image has no bash yet');
    const reference = String(references.get('porter-outputs-example'));
    expect((await cli('install', 'outputs-never-upgraded', '--reference', reference)).code).toBe(0);
    const uninstall = await cli('uninstall', 'outputs-never-upgraded', '--reference', reference);
    expect(uninstall.code, uninstall.stdout + uninstall.stderr).toBe(0);
    expect(uninstall.stdout).not.toContain('sally');
  });

  // Its install passes "install <password>" as one argument, which Porter's exec mixin has not split since 1.0:
  // helpers.sh then runs a command of that name, and fails. Lading does as Porter does, the value masked.
  it('plugins-tutorial gets its credential from a set, fails as under Porter 1.0, and its value stays masked (needs bash)', async (context) => {
    if (!baseHasBash) context.skip('the base image has no bash yet');
    expect((await runCli(home, ['secrets', 'set', 'magic-password', '--from-stdin'], 'opensesame-7f3a')).code).toBe(0);
    const set = join(work, 'plugins-creds.yaml');
    await writeFile(set, 'schemaVersion: 1.0.1\nname: plugins-creds\ncredentials:\n  - { name: password, source: { secret: magic-password } }\n');
    expect((await cli('credentials', 'apply', set)).code).toBe(0);
    const install = await cli('install', 'plugins-demo', '--reference', String(references.get('examples-plugins-tutorial')), '--cred', 'plugins-creds');
    expect(install.code).toBe(127);
    expect(install.stdout).toMatch(/install \*+: command not found/);
    expect(install.stdout + install.stderr).not.toContain('opensesame-7f3a');
  });

  // The bundle Porter's tests use for a parameter set given on upgrade (a value from a set is masked in Lading's
  // logs, so which value won is not visible here). Its helpers.sh is stored without the execute bit (mode 644, as in Porter's repository); Porter's test
  // harness makes every .sh file executable when it copies a bundle, so the test does the same to its copy.
  it('porter-bundle-with-param-set-upgrade: installs with --param, upgrades and uninstalls with a parameter set, whose value stays masked (needs bash)', async (context) => {
    if (!baseHasBash) context.skip('the base image has no bash yet');
    const unmodified = await cli('install', 'paramset-as-stored', '--reference', String(references.get('porter-bundle-with-param-set-upgrade')));
    expect(unmodified.code, 'a helper without the execute bit cannot run, as under Porter').toBe(126);
    const dir = join(work, 'paramset-executable');
    await cp(join(fixtures, 'porter-bundle-with-param-set-upgrade'), dir, { recursive: true });
    await chmod(join(dir, 'helpers.sh'), 0o755);
    expect((await cli('build', '--dir', dir, '--registry', `${registry}/bundles/paramset-executable`)).code).toBe(0);
    const published = await cli('publish', '--dir', dir);
    expect(published.code, published.stderr).toBe(0);
    const reference = String(/reference (\S+)/.exec(published.stdout)?.[1]);
    const install = await cli('install', 'paramset-demo', '--reference', reference, '--param', 'name=given-on-install');
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain('install: given-on-install');
    const set = join(work, 'paramset-names.yaml');
    await writeFile(set, 'schemaVersion: 1.0.1\nname: paramset-names\nparameters:\n  - { name: name, source: { value: from-the-set } }\n');
    expect((await cli('parameters', 'apply', set)).code).toBe(0);
    const upgrade = await cli('upgrade', 'paramset-demo', '--param-set', 'paramset-names');
    expect(upgrade.code, upgrade.stderr).toBe(0);
    expect(upgrade.stdout).toMatch(/upgrade: \*+/);
    const uninstall = await cli('uninstall', 'paramset-demo', '--param-set', 'paramset-names');
    expect(uninstall.code, uninstall.stderr).toBe(0);
    expect(uninstall.stdout).toMatch(/uninstall: \*+/);
    expect(upgrade.stdout + uninstall.stdout).not.toContain('from-the-set');
  });

  // What a Porter installation remembers: outputs handed to parameters, persistent parameters, state files.
  const outputsOf = async (installation: string) =>
    Object.fromEntries((JSON.parse((await cli('installations', 'outputs', installation, '--output', 'json')).stdout) as { name: string; runId: string; value?: string }[]).map((o) => [o.name, o]));
  const kept = async (installation: string) => (await cli('installations', 'outputs', 'show', installation, 'porter-state')).stdout;
  const decoded = (state: string) => Object.fromEntries(state.trim().split('\n').map((line) => [line.split(' ')[0], Buffer.from(line.split(' ')[1] ?? '', 'base64').toString('utf8')]));

  it('examples-hello: a parameter that is also an output takes its last value, as Porter does', async (context) => {
    if (!baseHasBash) context.skip('the base image has no bash yet');
    const reference = String(references.get('examples-hello'));
    const install = await cli('install', 'hello-memory', '--reference', reference);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain('Hello, porter');
    const upgrade = await cli('upgrade', 'hello-memory', '--param', 'name=lading');
    expect(upgrade.code, upgrade.stderr).toBe(0);
    expect(upgrade.stdout).toContain('Hello, lading');
    expect((await outputsOf('hello-memory')).name.value).toBe('lading');
    const uninstall = await cli('uninstall', 'hello-memory');
    expect(uninstall.code, uninstall.stderr).toBe(0);
    expect(uninstall.stdout).toContain('Goodbye, lading');
  });

  it('examples-sensitive-data: a sensitive output handed to a parameter stays masked', async (context) => {
    if (!baseHasBash) context.skip('the base image has no bash yet');
    const password = 'pw-7c1e0b9d';
    const install = await cli('install', 'sensitive-memory', '--reference', String(references.get('examples-sensitive-data')), '--param', `password=${password}`);
    expect(install.code, install.stderr).toBe(0);
    // The name is masked too once the runner has learned the sensitive output it is copied into: in the same chunk of output, even before.
    expect(install.stdout).toMatch(/Hello, installing (example-bundle|\*+) with password: \*+/);
    expect((await outputsOf('sensitive-memory')).name).toMatchObject({ sensitive: true, value: '*******' });
    expect((await cli('installations', 'outputs', 'show', 'sensitive-memory', 'name')).stdout).toBe('example-bundle');
    const upgrade = await cli('upgrade', 'sensitive-memory');
    expect(upgrade.code, upgrade.stderr).toBe(0);
    expect(upgrade.stdout).toMatch(/Hello, upgrading \*+/);
    const uninstall = await cli('uninstall', 'sensitive-memory');
    expect(uninstall.code, uninstall.stderr).toBe(0);
    expect(uninstall.stdout).toMatch(/Goodbye, \*+/);
    expect(install.stdout + upgrade.stdout + uninstall.stdout + upgrade.stderr).not.toContain(password);
  });

  it('porter-bundle-with-persistent-params: the value given on install is reused by upgrade', async (context) => {
    if (!baseHasBash) context.skip('the base image has no bash yet');
    const reference = String(references.get('porter-bundle-with-persistent-params'));
    const refused = await cli('install', 'persistent-memory', '--reference', reference);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('parameter resource-group is required');
    const install = await cli('install', 'persistent-memory', '--reference', reference, '--param', 'resource-group=rg-east-1');
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain('rg-east-1');
    const upgrade = await cli('upgrade', 'persistent-memory');
    expect(upgrade.code, upgrade.stderr).toBe(0);
    expect(upgrade.stdout).toContain('rg-east-1');
    expect((await cli('uninstall', 'persistent-memory')).stdout).toContain('bye');
  });

  it('porter-bundle-with-state: the state file is put back before upgrade, which appends to it', async (context) => {
    if (!baseHasBash) context.skip('the base image has no bash yet');
    const install = await cli('install', 'state-memory', '--reference', String(references.get('porter-bundle-with-state')));
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain('Installing v0.1.0');
    // The state is a sensitive output: the secret store holds it, the records do not.
    expect((await outputsOf('state-memory'))['porter-state']).toMatchObject({ sensitive: true, value: '*******' });
    const upgrade = await cli('upgrade', 'state-memory');
    expect(upgrade.code, upgrade.stderr).toBe(0);
    expect(upgrade.stdout).toContain('Upgrading to v0.1.0');
    expect(decoded(await kept('state-memory'))).toEqual({ some_state: 'Installing v0.1.0\nUpgrading to v0.1.0\n' });
    expect((await cli('uninstall', 'state-memory')).stdout).toContain('bye');
  });

  it('porter-bundle-with-modifies-false-action: an action that does not modify the installation keeps no state', async (context) => {
    if (!baseHasBash) context.skip('the base image has no bash yet');
    const install = await cli('install', 'dry-memory', '--reference', String(references.get('porter-bundle-with-modifies-false-action')));
    expect(install.code, install.stderr).toBe(0);
    const before = (await outputsOf('dry-memory'))['porter-state'];
    expect(decoded(await kept('dry-memory'))).toEqual({ some_state: 'installed\n' });
    const dryRun = await cli('invoke', 'dry-memory', '--action', 'dry-run');
    expect(dryRun.code, dryRun.stderr).toBe(0);
    const after = await outputsOf('dry-memory');
    expect(after['dry-run-result'].value).toBe('dry-run-ok\n');
    expect(after['porter-state'].runId).toBe(before.runId);
    expect((await cli('uninstall', 'dry-memory')).stdout).toContain('uninstalled');
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

  describe('dockerfile templates', () => {
    /** A copy of a public bundle, its template's FROM on the stack's Debian base as an operator mirroring Docker Hub would have it. */
    async function mirrored(name: string, template: string): Promise<string> {
      const dir = join(work, `${name}-mirrored`);
      await cp(join(fixtures, name), dir, { recursive: true });
      const text = await readFile(join(dir, template), 'utf8');
      await writeFile(join(dir, template), text.replace(/^FROM debian:stable-slim$/m, `FROM ${defaultBaseImage(registry)}`));
      return dir;
    }

    const buildUnchanged = async (name: string) => {
      const dir = join(work, `${name}-unchanged`);
      await cp(join(fixtures, name), dir, { recursive: true });
      return cli('build', '--dir', dir, '--registry', `${registry}/bundles/${name}`);
    };

    it('examples-credentials-tutorial unchanged is refused at its FROM on Docker Hub, saying what to do', async () => {
      const built = await buildUnchanged('examples-credentials-tutorial');
      expect(built.code).toBe(1);
      expect(built.stderr.trim().split('\n')).toHaveLength(1);
      expect(built.stderr).toContain('dockerfile Dockerfile.tmpl:1: FROM debian:stable-slim names an image on Docker Hub, which Lading does not contact: copy it into a registry the stack allows');
      expect(built.stderr).toContain(`such as ${defaultBaseImage(registry)}`);
    });

    it('examples-private-assets unchanged is refused at its BuildKit cache and secret mounts, naming the line, before any registry is asked', async () => {
      const built = await buildUnchanged('examples-private-assets');
      expect(built.code).toBe(1);
      expect(built.stderr.trim().split('\n')).toHaveLength(1);
      expect(built.stderr).toContain("dockerfile template.Dockerfile:7: RUN --mount needs BuildKit, which Lading's builder does not use");
    });

    it('examples-credentials-tutorial builds on the mirrored base, its template run, and runs as 65532 (its install calls GitHub: not run here)', async () => {
      const dir = await mirrored('examples-credentials-tutorial', 'Dockerfile.tmpl');
      const built = await cli('build', '--dir', dir, '--registry', `${registry}/bundles/credentials-tutorial`);
      expect(built.code, built.stderr).toBe(0);
      expect(built.stdout).toMatch(new RegExp(`dockerfile Dockerfile\\.tmpl:1 FROM ${defaultBaseImage(registry).replace(/[.]/g, '\\.')} → ${registry.replace(/[.]/g, '\\.')}/lading/debian@sha256:[a-f0-9]{64}`));
      const published = await cli('publish', '--dir', dir);
      expect(published.code, published.stderr).toBe(0);
      const reference = String(/reference (\S+)/.exec(published.stdout)?.[1]);
      const explained = JSON.parse((await cli('explain', reference, '--output', 'json')).stdout) as { entries: { kind: string; name: string; required: boolean }[] };
      expect(explained.entries.find((entry) => entry.name === 'github-token')).toMatchObject({ kind: 'credential', required: true });
      const bundle = JSON.parse(await readFile(join(dir, '.lading', 'bundle.json'), 'utf8')) as { invocationImages: { image: string }[] };
      const invocation = String(bundle.invocationImages[0]?.image);
      execFileSync('docker', ['pull', '-q', invocation]);
      const inImage = (command: string) => execFileSync('docker', ['run', '--rm', '--entrypoint', '/bin/sh', invocation, '-c', command], { encoding: 'utf8' }).trim();
      expect(inImage('id -u')).toBe('65532');
      // The template's `COPY . ${BUNDLE_DIR}` brought the bundle's files; its .dockerignore kept the template out.
      expect(inImage('ls /cnab/app')).toContain('helpers.sh');
      expect(inImage('ls /cnab/app')).not.toContain('Dockerfile.tmpl');
    });

    it('examples-exec-outputs\'s template on the mirrored base fails without internet at its apt-get install, with apt\'s errors shown', async () => {
      // Its porter.yaml asks for more than templates; its template alone, under the bundle `porter create` writes.
      const dir = await mirrored('examples-exec-outputs', 'Dockerfile.tmpl');
      await cp(join(fixtures, 'porter-create-template'), dir, { recursive: true });
      const manifest = await readFile(join(dir, 'porter.yaml'), 'utf8');
      await writeFile(join(dir, 'porter.yaml'), `${manifest.trimEnd()}\ndockerfile: Dockerfile.tmpl\n`);
      const built = await cli('build', '--dir', dir, '--registry', `${registry}/bundles/exec-outputs-template`);
      expect(built.code).toBe(1);
      expect(built.stderr.trim().split('\n')).toHaveLength(1);
      expect(built.stderr).toContain("the invocation image did not build: Docker build failed: The command '/bin/sh -c apt-get update && apt-get install gnupg2 jq -y");
      expect(built.stderr).toContain('returned a non-zero code: 100');
      expect(built.stderr).toContain("Temporary failure resolving 'deb.debian.org'");
      // The build's last lines are apt's: its error, or the warnings it writes around it (in no fixed order).
      expect(built.stderr).toMatch(/E: Package 'gnupg2' has no installation candidate|W: Some index files failed to download/);
    });
  });
});
