import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busybox, busyboxOnlyPath } from './run-harness.js';
import { encodeRunInput, parseManifest, parseOutputFrame, renderRunScript, scaffoldManifest } from '../src/internal.js';

const nonce = '0123456789abcdef0123456789abcdef';
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
// A secret written to break out of any quoting: it must come out exactly as it went in.
const nastySecret = `it's "quoted" $(touch PWNED1) \`touch PWNED2\` '; touch PWNED3; '\nsecond line $HOME\n`;

let root: string;
let bin: string;
let script: string;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  secretsDir: string;
  outputsDir: string;
  workDir: string;
  frames: Record<string, string>;
}

function manifestText(workDir: string): string {
  return `name: runtest
version: 1.0.0
registry: 127.0.0.1:5000/t
baseImage: 127.0.0.1:5000/lading/busybox:1.35
credentials:
  - { name: token, env: API_TOKEN }
  - { name: kubeconfig, path: /home/nonroot/.kube/config }
parameters:
  - { name: greeting, default: hello, env: GREETING }
  - { name: count, type: integer, default: 3, path: /etc/count }
  - { name: password, sensitive: true, env: DB_PASSWORD }
outputs:
  - { name: message }
  - { name: report }
  - { name: self-written }
  - { name: upgrade-only, applyTo: [upgrade] }
customActions:
  flags: { modifies: false }
  explode: {}
install:
  - exec:
      description: greet
      command: echo
      arguments: ["{{ bundle.parameters.greeting }} world"]
      outputs: [{ name: message, regex: "[a-z]+ world" }]
  - exec:
      command: printf
      arguments: ["[%s]", "{{ bundle.credentials.token }}", "{{ bundle.credentials.kubeconfig }}", "n={{ bundle.parameters.count }}"]
  - exec:
      command: sh
      arguments: ["-c", 'printf "%s" "$DB_PASSWORD" > "$0"', "${workDir}/report.txt"]
      outputs: [{ name: report, path: "${workDir}/report.txt" }]
  - exec:
      command: sh
      arguments: ["-c", 'echo self > "$LADING_OUTPUTS_DIR/self-written"']
upgrade:
  - exec:
      command: sh
      arguments: ["-c", 'echo up > "$LADING_OUTPUTS_DIR/upgrade-only"; echo partial > "$LADING_OUTPUTS_DIR/message"; exit 7']
flags:
  - exec:
      command: printf
      arguments: ["<%s>"]
      flags: { v: true, name: "it's x", quiet: false, tag: [a, "{{ bundle.credentials.token }}"] }
explode:
  - exec: { command: sh, arguments: ["-c", "echo boom; exit 3"] }
  - exec: { command: sh, arguments: ["-c", 'echo never > "$LADING_OUTPUTS_DIR/message"'] }
`;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lading-run-script-'));
  // Only busybox applets on PATH, as in the invocation image.
  bin = busyboxOnlyPath(root);
  script = join(root, 'run');
  writeFileSync(script, renderRunScript(parseManifest(manifestText(join(root, 'work')))));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

let runCount = 0;
function run(input: string[], options: { terminate?: boolean } = {}): Run {
  runCount += 1;
  const dir = join(root, `run-${runCount}`);
  const secretsDir = join(dir, 'secrets');
  const outputsDir = join(dir, 'outputs');
  const workDir = join(root, 'work');
  for (const d of [secretsDir, outputsDir, workDir]) mkdirSync(d, { recursive: true });
  rmSync(join(workDir, 'report.txt'), { force: true });
  const lines = input.map((line) => line.replaceAll('SECRETS', secretsDir));
  const stdin = lines.join('\n') + (options.terminate === false ? '' : '\nend\n');
  const result = spawnSync(busybox, ['sh', script], {
    cwd: dir,
    input: stdin,
    encoding: 'utf8',
    env: { PATH: bin, HOME: dir, LADING_OUTPUTS_DIR: outputsDir, LADING_SECRETS_DIR: secretsDir },
  });
  const frames: Record<string, string> = {};
  for (const line of result.stdout.split('\n')) {
    const [first, kind, name, data] = line.split(' ');
    if (first === nonce && kind === 'output') frames[name] = Buffer.from(data ?? '', 'base64').toString('utf8');
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, secretsDir, outputsDir, workDir: dir, frames };
}

const standard = (action: string): string[] => [
  `env API_TOKEN ${b64(nastySecret)}`,
  `file SECRETS/kubeconfig ${b64('apiVersion: v1\nkind: Config\n')}`,
  `env DB_PASSWORD ${b64('s3cret pa$$word')}`,
  `nonce - ${nonce}`,
  `action - ${b64(action)}`,
];

describe('the run script, executed by busybox sh', () => {
  it('speaks the protocol encodeRunInput writes and parseOutputFrame reads', () => {
    const dir = join(root, 'protocol');
    const secretsDir = join(dir, 'secrets');
    const outputsDir = join(dir, 'outputs');
    mkdirSync(secretsDir, { recursive: true });
    mkdirSync(outputsDir, { recursive: true });
    mkdirSync(join(root, 'work'), { recursive: true });
    const input = encodeRunInput({
      env: { API_TOKEN: 'tok', GREETING: 'hi' },
      files: { [join(secretsDir, 'kubeconfig')]: Buffer.from([0, 1, 2, 255]) },
      nonce,
      action: 'install',
    });
    const result = spawnSync(busybox, ['sh', script], {
      cwd: dir,
      input,
      encoding: 'utf8',
      env: { PATH: bin, HOME: dir, LADING_OUTPUTS_DIR: outputsDir, LADING_SECRETS_DIR: secretsDir },
    });
    expect(result.status).toBe(0);
    expect(readFileSync(join(secretsDir, 'kubeconfig'))).toEqual(Buffer.from([0, 1, 2, 255]));
    const frames = result.stdout.split('\n').flatMap((line) => parseOutputFrame(line, nonce) ?? []);
    expect(frames.map((f) => [f.name, f.value.toString('utf8')])).toEqual([
      ['message', 'hi world\n'],
      ['report', ''],
      ['self-written', 'self\n'],
    ]);
    expect(parseOutputFrame(`${nonce.replace('0', '1')} output message aGk=`, nonce)).toBeUndefined();
    expect(() => encodeRunInput({ nonce: 'XYZ', action: 'install' })).toThrow(/hexadecimal/);
    // One frame grammar for the runner and for this reader: padded base64, the manifest's output names.
    expect(parseOutputFrame(`${nonce} output message aGk`, nonce)).toBeUndefined();
    expect(parseOutputFrame(`${nonce} output my..message aGk=`, nonce)).toBeUndefined();
    expect(parseOutputFrame(`${nonce} output message aGk=`, nonce)?.value.toString()).toBe('hi');
  });

  it('is valid shell for the scaffold too', () => {
    const text = renderRunScript(parseManifest(scaffoldManifest({ name: 'x', registry: 'r:5000', baseImage: 'r:5000/b:1' })));
    const file = join(root, 'scaffold-run');
    writeFileSync(file, text);
    expect(spawnSync(busybox, ['sh', '-n', file], { encoding: 'utf8' }).status).toBe(0);
  });

  it('delivers env and file values, fills templates and reports framed outputs', () => {
    const result = run(standard('install'));
    // While the action runs, its steps' stderr is joined to stdout: one ordered stream.
    expect(result.stdout).toContain('lading: greet');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('hello world\n');
    expect(result.stdout).toContain(`[${nastySecret}][apiVersion: v1\nkind: Config\n][n=3]`);
    expect(result.frames).toEqual({ message: 'hello world\n', report: 's3cret pa$$word', 'self-written': 'self\n' });
    // Values never show up anywhere else in the output: only the step printed them.
    expect(result.stdout.split(`[${nastySecret}]`)).toHaveLength(2);
    const secretFile = join(result.secretsDir, 'kubeconfig');
    expect(readFileSync(secretFile, 'utf8')).toBe('apiVersion: v1\nkind: Config\n');
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(result.secretsDir, 'count'), 'utf8')).toBe('3');
  });

  it('never evaluates a secret value, however it is quoted', () => {
    const result = run(standard('install'));
    expect(result.status).toBe(0);
    for (const marker of ['PWNED1', 'PWNED2', 'PWNED3']) {
      expect(existsSync(join(result.workDir, marker))).toBe(false);
    }
    expect(renderRunScript(parseManifest(manifestText(join(root, 'work'))))).not.toContain('s3cret');
  });

  it('uses values sent over the defaults', () => {
    const result = run([`env GREETING ${b64('bonjour')}`, `file SECRETS/count ${b64('9')}`, ...standard('install')]);
    expect(result.status).toBe(0);
    expect(result.frames.message).toBe('bonjour world\n');
    expect(result.stdout).toContain('[n=9]');
  });

  it('renders flags after the arguments, single letters with one dash', () => {
    const result = run(standard('flags'));
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`<-v><--name><it's x><--tag><a><--tag><${nastySecret}>`);
    expect(result.stdout).not.toContain('quiet');
  });

  it('stops at a failing step with its exit code and still reports outputs', () => {
    const exploded = run(standard('explode'));
    expect(exploded.status).toBe(3);
    expect(exploded.stdout).toContain('boom');
    expect(exploded.frames).toEqual({});
    expect(existsSync(join(exploded.outputsDir, 'message'))).toBe(false);

    const upgraded = run(standard('upgrade'));
    expect(upgraded.status).toBe(7);
    expect(upgraded.frames).toEqual({ message: 'partial\n', 'upgrade-only': 'up\n' });
  });

  it('succeeds doing nothing for a built-in action the manifest leaves out', () => {
    const result = run(standard('uninstall'));
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('no uninstall steps');
  });

  it('refuses an unknown action with exit 64 and runs nothing', () => {
    const result = run(standard('deploy'));
    expect(result.status).toBe(64);
    expect(result.stderr).toContain('unknown action "deploy"');
    expect(result.frames).toEqual({});
    expect(result.stdout).toBe('');
  });

  it.each([
    ['an unknown line kind', [`secret X ${b64('v')}`], 'unknown input line kind'],
    ['an env name the bundle does not declare', [`env PATH ${b64('/evil')}`], 'does not declare'],
    ['a file outside the secrets dir', [`file /tmp/lading-test-escape ${b64('x')}`], 'does not declare'],
    ['a file path climbing out of the secrets dir', [`file SECRETS/../kubeconfig ${b64('x')}`], 'does not declare'],
    ['a value that is not base64', ['env API_TOKEN $(id)'], 'does not hold base64'],
    ['a nonce that is not hex', ['nonce - xyz'], 'hexadecimal'],
    // The run protocol's one nonce rule; the runner once sent upper-case and the script once took 1 digit.
    ['an upper-case nonce', [`nonce - ${'AB'.repeat(16)}`], 'the nonce must be 16 to 128 lower-case hexadecimal digits'],
    ['a nonce shorter than 16 digits', ['nonce - ab12'], 'the nonce must be 16 to 128 lower-case hexadecimal digits'],
    ['a nonce longer than 128 digits', [`nonce - ${'a'.repeat(130)}`], 'the nonce must be 16 to 128 lower-case hexadecimal digits'],
    ['a line with too few fields', ['end-of-story'], 'three fields'],
  ])('refuses %s with exit 64', (_name, lines, message) => {
    const result = run([...lines, ...standard('install')]);
    expect(result.status).toBe(64);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
    expect(existsSync('/tmp/lading-test-escape')).toBe(false);
  });

  it('refuses input that ends before the end line', () => {
    const result = run(standard('install'), { terminate: false });
    expect(result.status).toBe(64);
    expect(result.stderr).toContain('before the end line');
    expect(result.stdout).toBe('');
  });
});

describe('the run script and sensitive outputs', () => {
  const maskingManifest = (workDir: string) => `name: masking
version: 1.0.0
registry: 127.0.0.1:5000/t
baseImage: 127.0.0.1:5000/lading/busybox:1.35
credentials:
  - { name: key-file, path: /home/nonroot/key }
outputs:
  - { name: token, sensitive: true }
  - { name: cert, sensitive: true }
  - { name: plain }
install:
  - exec:
      command: sh
      arguments: ["-c", 'echo "token=tok-123 issued"; echo "half-err" >&2; printf "%s" "cert-body" > "$0"; echo done', "${workDir}/cert"]
      outputs: [{ name: token, regex: "tok-[0-9]+" }, { name: cert, path: "${workDir}/cert" }]
  - exec:
      command: printf
      arguments: ["<%s>", "{{ bundle.credentials.key-file }}"]
`;
  let maskingScript: string;
  let work: string;

  beforeAll(() => {
    work = join(root, 'masking-work');
    mkdirSync(work, { recursive: true });
    maskingScript = join(root, 'masking-run');
    writeFileSync(maskingScript, renderRunScript(parseManifest(maskingManifest(work))));
  });

  function runMasking(keyFile: Buffer) {
    const dir = mkdtempSync(join(root, 'masking-'));
    const secretsDir = join(dir, 'secrets');
    const outputsDir = join(dir, 'outputs');
    mkdirSync(secretsDir);
    mkdirSync(outputsDir);
    const input = encodeRunInput({ files: { [join(secretsDir, 'key-file')]: keyFile }, nonce, action: 'install' });
    return spawnSync(busybox, ['sh', maskingScript], {
      cwd: dir,
      input,
      encoding: 'utf8',
      env: { PATH: bin, HOME: dir, LADING_OUTPUTS_DIR: outputsDir, LADING_SECRETS_DIR: secretsDir },
    });
  }

  it('announces a sensitive capture in a mask frame before the step output that shows it', () => {
    const result = runMasking(Buffer.from('k'));
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    const maskAt = (value: string) => lines.indexOf(`${nonce} mask ${b64(value)}`);
    const shownAt = lines.indexOf('token=tok-123 issued');
    expect(maskAt('tok-123')).toBeGreaterThanOrEqual(0);
    expect(maskAt('tok-123')).toBeLessThan(shownAt);
    expect(maskAt('cert-body')).toBeLessThan(shownAt);
    // Replayed on stdout after the mask frames, as Docker keeps the order within one stream only.
    expect(lines.indexOf('half-err')).toBeGreaterThan(maskAt('tok-123'));
  });

  it('passes a file value into an argument byte for byte, trailing newlines and CR included', () => {
    const result = runMasking(Buffer.from('key\r\n\n'));
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('<key\r\n\n>');
  });
});
