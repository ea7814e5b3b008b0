/**
 * What a porter.yaml installation remembers: parameters from outputs, persistent parameters and
 * state files, as read, as written to bundle.json, and as the run script keeps and restores them
 * (run under busybox sh with only busybox on PATH).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARAMETER_SOURCES_EXTENSION } from '@lading/cnab';
import { encodeRunInput, parseManifest, renderDockerfile, renderRunScript, toBundleJson, type Manifest } from '../src/index.js';
import { problems } from './manifest-problems.js';

const digest = `sha256:${'a'.repeat(64)}`;
const resolved = {
  baseImage: { reference: `127.0.0.1:5000/lading/debian@${digest}`, digest },
  images: {},
  invocationImage: { reference: `127.0.0.1:5000/memory/app@${digest}`, digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1 },
};

const porter = (body: string, version = '1.2.0'): string => `schemaVersion: ${version}
name: memory
version: 0.1.0
registry: localhost:5000
mixins: [exec]
${body}`;

const steps = `install:
  - exec: { command: echo, arguments: [install] }
upgrade:
  - exec: { command: echo, arguments: [upgrade] }
uninstall:
  - exec: { command: echo, arguments: [uninstall] }
`;


describe('parameters from outputs and persistent parameters', () => {
  it('writes source.output as CNAB parameter sources, and leaves install out where no output can exist yet (as Porter)', () => {
    const manifest = parseManifest(
      porter(`parameters:
  - { name: name, type: string, default: porter, path: /cnab/app/foo/name.txt, source: { output: name } }
  - { name: token, type: string, source: { output: token } }
outputs:
  - { name: name, path: /cnab/app/foo/name.txt }
  - { name: token, sensitive: true }
${steps}`),
      'porter.yaml',
    );
    expect(manifest.parameters.map((p) => [p.name, p.source, p.applyTo])).toEqual([
      ['name', { output: 'name' }, undefined],
      ['token', { output: 'token' }, ['uninstall', 'upgrade']],
    ]);
    const bundle = toBundleJson(manifest, resolved);
    expect(bundle.custom?.[PARAMETER_SOURCES_EXTENSION]).toEqual({
      name: { priority: ['output'], sources: { output: { name: 'name' } } },
      token: { priority: ['output'], sources: { output: { name: 'token' } } },
    });
    expect(bundle.requiredExtensions).toEqual([PARAMETER_SOURCES_EXTENSION]);
  });

  it('expands persistent as Porter does: delivered at /cnab/app/NAME, kept in an output as sensitive as it is', () => {
    const manifest = parseManifest(porter(`parameters:\n  - { name: resource-group, type: string, persistent: true }\n  - { name: key, sensitive: true, persistent: true }\n${steps}`), 'porter.yaml');
    expect(manifest.parameters[0]).toMatchObject({ path: '/cnab/app/resource-group', source: { output: 'resource-group' }, applyTo: ['install', 'uninstall', 'upgrade'], required: true, persistent: true });
    expect(manifest.parameters[0].env).toBeUndefined();
    expect(manifest.outputs).toEqual([
      { name: 'resource-group', sensitive: false, path: '/cnab/app/resource-group' },
      { name: 'key', sensitive: true, path: '/cnab/app/key' },
    ]);
  });

  it('refuses persistent with a destination, a source from an undeclared output, and one from an undeclared dependency', () => {
    expect(
      problems(
        porter(`parameters:
  - { name: a, env: A, persistent: true }
  - { name: b, source: { output: nothing } }
  - { name: c, source: { dependency: db, output: x } }
${steps}`),
      ),
    ).toEqual([
      expect.stringMatching(/parameters\[0\]\.env cannot be combined with persistent/),
      expect.stringMatching(/parameters\[1\] takes its value from output "nothing", which the manifest does not declare/),
      expect.stringMatching(/parameters\[2\] takes its value from output "x" of dependency "db", which dependencies.requires does not declare/),
    ]);
  });
});

describe('state files', () => {
  const stateYaml = (extra = '') => porter(`state:
  - { name: some_state, path: /path/to/some_state }
  - { name: local, path: data/local.txt }
customActions:
  dry-run: { modifies: false }
dry-run:
  - exec: { command: echo, arguments: [dry] }
${extra}${steps}`);

  it('keeps them in a sensitive parameter and output, recorded for every action that modifies the installation', () => {
    const manifest = parseManifest(stateYaml(), 'porter.yaml');
    expect(manifest.state).toEqual([
      { name: 'some_state', path: '/path/to/some_state' },
      { name: 'local', path: '/cnab/app/data/local.txt' },
    ]);
    const bundle = toBundleJson(manifest, resolved);
    expect(bundle.parameters?.['porter-state']).toMatchObject({ destination: { path: '/cnab/secrets/porter-state' }, required: false });
    expect(bundle.outputs?.['porter-state']).toMatchObject({ path: '/cnab/app/outputs/porter-state', applyTo: ['install', 'upgrade', 'uninstall'] });
    expect(bundle.definitions?.['porter-state-state']).toMatchObject({ writeOnly: true });
    expect(bundle.custom?.[PARAMETER_SOURCES_EXTENSION]).toEqual({ 'porter-state': { priority: ['output'], sources: { output: { name: 'porter-state' } } } });
  });

  it('links a state path on the read-only root to the writable /cnab/app, and leaves one under /cnab/app where it is', () => {
    const dockerfile = renderDockerfile(parseManifest(stateYaml(), 'porter.yaml'), { baseImageDigestRef: resolved.baseImage.reference });
    expect(dockerfile).toContain("ln -s '/cnab/app/.lading/state/some_state' '/path/to/some_state'");
    expect(dockerfile).not.toContain('local.txt');
  });

  it('refuses a state path that leaves its place: "..", the secrets, the outputs, Lading\'s state directory, and the reserved name', () => {
    expect(
      problems(
        porter(`state:
  - { name: up, path: ../../etc/passwd }
  - { name: secrets, path: /cnab/secrets/token }
  - { name: outputs, path: /cnab/app/outputs/x }
  - { name: mine, path: /cnab/app/.lading/state/other }
  - { name: porter-state, path: /tmp/x }
${steps}`),
      ),
    ).toEqual([
      expect.stringMatching(/state\[0\]\.path must not contain "\." or "\.\." segments/),
      expect.stringMatching(/state\[1\]\.path must not be under \/cnab\/secrets/),
      expect.stringMatching(/state\[2\]\.path must not be under \/cnab\/app\/outputs/),
      expect.stringMatching(/state\[3\]\.path must not be under \/cnab\/app\/\.lading\/state/),
      expect.stringMatching(/state\[4\] must not be named porter-state/),
    ]);
  });
});

describe('the run script keeps and restores state files', () => {
  const busybox = '/bin/busybox';
  const nonce = 'c0ffee00'.repeat(4);
  let root: string;
  let bin: string;
  let manifest: Manifest;

  beforeAll(() => {
    // Under /tmp, where a state file stays at its own path.
    root = mkdtempSync('/tmp/lading-state-');
    bin = join(root, 'bin');
    mkdirSync(bin);
    for (const applet of spawnSync(busybox, ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) symlinkSync(busybox, join(bin, applet));
    manifest = parseManifest(
      porter(`credentials:
  - { name: token, path: /home/nonroot/token }
state:
  - { name: counter, path: ${root}/kept/counter }
  - { name: notes, path: ${root}/kept/notes.txt }
install:
  - exec: { command: sh, arguments: [-c, "mkdir -p ${root}/kept && echo 1 > ${root}/kept/counter"] }
upgrade:
  - exec:
      command: sh
      arguments: [-c, "echo was $(cat ${root}/kept/counter); echo 2 >> ${root}/kept/counter; [ -z \\"$BIG\\" ] || head -c 800000 /dev/zero >> ${root}/kept/counter; exit $((FAIL))"]
uninstall:
  - exec: { command: sh, arguments: [-c, "rm -f ${root}/kept/counter; ln -s \\"$LADING_SECRETS_DIR/token\\" ${root}/kept/counter"] }
`),
      'porter.yaml',
    );
    writeFileSync(join(root, 'run'), renderRunScript(manifest));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function run(action: string, state?: string, env: Record<string, string> = {}, prepare = () => {}) {
    rmSync(join(root, 'kept'), { recursive: true, force: true });
    prepare();
    const dir = mkdtempSync(join(root, 'run-'));
    const [outputs, secrets] = [join(dir, 'outputs'), join(dir, 'secrets')];
    mkdirSync(outputs);
    mkdirSync(secrets);
    const files: Record<string, string> = { token: 'the-credential-value' };
    if (state !== undefined) files['porter-state'] = state;
    const result = spawnSync(busybox, ['sh', join(root, 'run')], {
      cwd: dir,
      input: encodeRunInput({ files: Object.fromEntries(Object.entries(files).map(([name, value]) => [join(secrets, name), value])), nonce, action }),
      encoding: 'utf8',
      env: { PATH: bin, HOME: dir, LADING_OUTPUTS_DIR: outputs, LADING_SECRETS_DIR: secrets, ...env },
    });
    const frames: Record<string, string> = {};
    for (const line of result.stdout.split('\n')) {
      const [first, kind, name, data] = line.split(' ');
      if (first === nonce && kind === 'output') frames[name] = Buffer.from(data ?? '', 'base64').toString('utf8');
    }
    return { ...result, frames };
  }

  const line = (name: string, content: string) => `${name} ${Buffer.from(content).toString('base64')}\n`;

  it('packs each state file after the action, by name', () => {
    const result = run('install');
    expect(result.status, result.stderr).toBe(0);
    expect(result.frames['porter-state']).toBe(line('counter', '1\n'));
  });

  it('puts them back before the next action, and keeps them after a failing one, as Porter does', () => {
    const upgraded = run('upgrade', line('counter', '1\n'));
    expect(upgraded.status, upgraded.stderr).toBe(0);
    expect(upgraded.stdout).toContain('was 1');
    expect(upgraded.frames['porter-state']).toBe(line('counter', '1\n2\n'));
    const failed = run('upgrade', line('counter', '1\n2\n'), { FAIL: '3' });
    expect(failed.status).toBe(3);
    expect(failed.frames['porter-state']).toBe(line('counter', '1\n2\n2\n'));
  });

  it('writes a kept value only to the paths the bundle declares: an unknown name is ignored', () => {
    const result = run('upgrade', `${line('elsewhere', 'x')}${line('../../escape', 'x')}${line('counter', '7\n')}`);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('was 7');
    expect(existsSync(join(root, 'escape'))).toBe(false);
    expect(readFileSync(join(root, 'kept/counter'), 'utf8')).toBe('7\n2\n');
  });

  it('never keeps a state file that is a symbolic link (here to a credential): the run fails and no state is recorded', () => {
    const result = run('uninstall', line('counter', '1\n'));
    expect(result.status).not.toBe(0);
    // The steps' stderr is joined to stdout, and so is what the script says after them.
    expect(result.stdout + result.stderr).toContain('state file counter is not a regular file at its path');
    expect(result.frames['porter-state']).toBeUndefined();
    expect(result.stdout).not.toContain(Buffer.from('the-credential-value').toString('base64'));
  });

  it('refuses to restore through a symbolic link in place of the state directory', () => {
    const result = run('upgrade', line('counter', '9\n'), {}, () => symlinkSync(join(root, 'bin'), join(root, 'kept')));
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('state file counter is reached through a symbolic link');
    expect(existsSync(join(root, 'bin', 'counter'))).toBe(false);
  });

  it('fails the run with one clear sentence when the state is larger than a kept value may be', () => {
    const result = run('upgrade', line('counter', '1\n'), { BIG: '1' });
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/lading: the state files take \d+ bytes once encoded, and at most 1048576 are kept; keep less in them/);
    expect(result.frames['porter-state']).toBeUndefined();
  });
});
