import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRunInput, parseManifest, renderRunScript } from '../src/index.js';
import { busyboxOnlyPath, readFrames } from './run-harness.js';

// porter.yaml steps that read JSON — jsonPath outputs and object fields in templates — run by the
// generated script under busybox sh with only busybox on PATH, and under dash with Debian's mawk.
const nonce = 'c0ffee00'.repeat(4);
const digest = `sha256:${'e'.repeat(64)}`;
const pinned = `127.0.0.1:5000/getporter/porter-hello@${digest}`;
const secretField = 's3cret-leaf-7b1';

const porterYaml = `schemaVersion: 1.0.1
name: json-steps
version: 0.1.0
registry: localhost:5000
mixins: [exec]
parameters:
  - { name: config, type: object }
  - { name: vault, type: object, sensitive: true }
  - { name: users.json, type: string, default: none }
outputs:
  - { name: user }
  - { name: user-names }
  - { name: token, sensitive: true }
images:
  hello: { image: "127.0.0.1:5000/getporter/porter-hello", tag: v0.1.1 }
install:
  - exec:
      command: cat
      arguments: [doc.json]
      outputs:
        - { name: user, jsonPath: "$.user" }
        - { name: user-names, jsonPath: "$.users" }
        - { name: token, jsonPath: "$.token" }
        - { name: first, jsonPath: "$.users[0]" }
  - exec:
      command: printf
      arguments:
        - "'[%s]\\\\n'"
        - "name=\${ bundle.parameters.config.name }"
        - "port=\${{ bundle.parameters.config.server.port }}"
        - "missing=\${ bundle.parameters.config.nothing }"
        - "vault=\${ bundle.parameters.vault.password }"
        - "first=\${ bundle.outputs.first }"
        - "dotted=\${ bundle.parameters.users.json }"
        - "image=\${ bundle.images.hello.repository }:\${ bundle.images.hello.tag }"
`;

let root: string;
let busyboxBin: string;
let debianBin: string;
let script: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lading-json-steps-'));
  busyboxBin = busyboxOnlyPath(root);
  // Debian's tools, with mawk as awk (bookworm-slim's) whatever this host's alternatives say.
  debianBin = join(root, 'debian-bin');
  mkdirSync(debianBin);
  for (const tool of ['sh', 'cat', 'cp', 'rm', 'grep', 'sed', 'base64', 'printf', 'mktemp', 'head', 'od', 'tr', 'tee']) {
    const found = ['/usr/bin', '/bin'].map((dir) => join(dir, tool)).find((path) => existsSync(path));
    if (found) symlinkSync(tool === 'sh' ? '/usr/bin/dash' : found, join(debianBin, tool));
  }
  symlinkSync('/usr/bin/mawk', join(debianBin, 'awk'));
  script = join(root, 'run');
  writeFileSync(script, renderRunScript(parseManifest(porterYaml, 'porter.yaml'), { images: { hello: pinned } }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(shell: 'busybox' | 'dash') {
  const dir = mkdtempSync(join(root, 'run-'));
  const outputs = join(dir, 'outputs');
  const secrets = join(dir, 'secrets');
  mkdirSync(outputs);
  mkdirSync(secrets);
  writeFileSync(join(dir, 'doc.json'), '{"user": "sally", "users": ["sally", "wei"], "token": "tok-9f2c"}\n');
  const input = encodeRunInput({
    env: { CONFIG: '{"name": "test-config", "server": {"port": 8443}}', VAULT: JSON.stringify({ password: secretField }) },
    nonce,
    action: 'install',
  });
  const [program, args] = shell === 'busybox' ? ['/bin/busybox', ['sh', script]] : ['/usr/bin/dash', [script]];
  const result = spawnSync(program, args, {
    cwd: dir,
    input,
    encoding: 'utf8',
    env: { PATH: shell === 'busybox' ? busyboxBin : `${debianBin}:/usr/bin`, HOME: dir, LADING_OUTPUTS_DIR: outputs, LADING_SECRETS_DIR: secrets, CNAB_INSTALLATION_NAME: 'demo' },
  });
  const { frames, masks } = readFrames(result.stdout, nonce);
  const maskAt = result.stdout.indexOf(`${nonce} mask ${Buffer.from(secretField).toString('base64')}`);
  return { ...result, frames, masks, maskAt };
}

describe.each(['busybox', 'dash'] as const)('porter.yaml steps that read JSON, under %s', (shell) => {
  it('captures jsonPath outputs as Porter does: a value as it is, a list as JSON', () => {
    const result = run(shell);
    expect(result.status, result.stderr).toBe(0);
    expect(result.frames.user).toBe('sally');
    expect(result.frames['user-names']).toBe('["sally","wei"]');
    expect(result.frames.token).toBe('tok-9f2c');
    // A step output no bundle output declares stays inside the run, masked.
    expect(result.frames.first).toBeUndefined();
    expect(result.masks).toContain('sally');
    expect(result.masks).toContain('tok-9f2c');
  });

  it('renders object fields, dotted names and the image form when the step runs', () => {
    const result = run(shell);
    for (const printed of [
      '[name=test-config]',
      '[port=8443]',
      '[missing=]',
      '[first=sally]',
      '[dotted=none]',
      '[image=127.0.0.1:5000/getporter/porter-hello:v0.1.1]',
    ]) {
      expect(result.stdout).toContain(printed);
    }
    expect(readFileSync(script, 'utf8')).not.toContain('test-config');
  });

  it('announces a sensitive object parameter\'s field as a value to mask before the step prints it', () => {
    const result = run(shell);
    expect(result.masks).toContain(secretField);
    expect(result.maskAt).toBeGreaterThanOrEqual(0);
    expect(result.maskAt).toBeLessThan(result.stdout.indexOf(`[vault=${secretField}]`));
  });
});

describe('a jsonPath that does not hold', () => {
  it('fails the step, as Porter does, when the key is missing or the output is not JSON', () => {
    for (const [printed, path] of [['{"users": []}', '$.user'], ['Creating the cluster...', '$.user']]) {
      const dir = mkdtempSync(join(root, 'fail-'));
      const yaml = `schemaVersion: 1.0.1
name: json-fail
version: 0.1.0
registry: localhost:5000
mixins: [exec]
outputs: [{ name: user }]
install:
  - exec: { command: echo, arguments: ['${printed}'], outputs: [{ name: user, jsonPath: "${path}" }] }
  - exec: { command: echo, arguments: [never-reached] }
`;
      const file = join(dir, 'run');
      writeFileSync(file, renderRunScript(parseManifest(yaml, 'porter.yaml')));
      const result = spawnSync('/bin/busybox', ['sh', file], {
        cwd: dir,
        input: encodeRunInput({ nonce, action: 'install' }),
        encoding: 'utf8',
        env: { PATH: busyboxBin, LADING_OUTPUTS_DIR: dir, LADING_SECRETS_DIR: dir },
      });
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('the jsonPath could not be read from the step output');
      expect(result.stdout).not.toContain('never-reached');
    }
  });
});
