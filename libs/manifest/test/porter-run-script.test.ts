import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRunInput, parseManifest, renderRunScript } from '../src/index.js';
import { busybox, busyboxOnlyPath, readFrames } from './run-harness.js';

// porter.yaml steps run by the generated script under busybox sh, with only busybox on PATH.
const nonce = 'feedc0de'.repeat(4);
const digest = `sha256:${'d'.repeat(64)}`;
const pinned = `127.0.0.1:5000/team/app@${digest}`;
const moved = `mirror.example:5000/copy/app@${digest}`;
const secret = `pa ss'"$(touch PWNED)`;

const porterYaml = (root: string): string => `schemaVersion: 1.0.1
name: porter-run
version: 1.2.3
registry: localhost:5000
mixins: [exec]
credentials:
  - { name: kubeconfig, path: /home/nonroot/.kube/config }
  - { name: password, env: PASSWORD }
parameters:
  - { name: log-level, default: info }
  - { name: who, type: string }
outputs:
  - { name: endpoint }
  - { name: ports }
  - { name: report, path: ${root}/report.txt }
  - { name: token, sensitive: true }
images:
  app: { repository: 127.0.0.1:5000/team/app, tag: v1 }
install:
  - exec:
      command: echo
      arguments: ["url=http://\${ bundle.parameters.who }.example port=80 url=http://b port=443"]
      outputs:
        - { name: endpoint, regex: "url=([^ ]+) port=([0-9]+)" }
        - { name: scratch, regex: "port=([0-9]+)" }
  - exec:
      command: helper.sh
      arguments:
        - "\${ bundle.outputs.endpoint }"
        - "\${ bundle.credentials.kubeconfig }"
        - "\${ installation.name }/\${ bundle.name }@\${ bundle.version }"
        - "\${ bundle.images.app.repository } \${ bundle.images.app.digest }"
        - "\${ bundle.credentials.password }"
      flags: { level: "\${ bundle.parameters.log-level }" }
  - exec:
      command: sh
      arguments: ["-c", "'printf tok-%s \\"$LOG_LEVEL\\"'"]
      outputs: [{ name: token, regex: "tok-(.*)" }]
`;

let root: string;
let bin: string;
let script: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lading-porter-run-'));
  bin = busyboxOnlyPath(root);
  script = join(root, 'run');
  writeFileSync(script, renderRunScript(parseManifest(porterYaml(root), 'porter.yaml'), { images: { app: pinned } }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(options: { relocated: boolean }) {
  const dir = mkdtempSync(join(root, 'run-'));
  const outputs = join(dir, 'outputs');
  const secrets = join(dir, 'secrets');
  mkdirSync(outputs);
  mkdirSync(secrets);
  // The bundle's own script, found without ./ as Porter finds it; it also writes the bundle-level output file.
  writeFileSync(join(dir, 'helper.sh'), '#!/bin/sh\nfor a in "$@"; do printf "[%s]\\n" "$a"; done\nprintf "done" > ' + JSON.stringify(join(root, 'report.txt')) + '\n');
  chmodSync(join(dir, 'helper.sh'), 0o755);
  const mapping = join(dir, 'relocation-mapping.json');
  if (options.relocated) writeFileSync(mapping, JSON.stringify({ [pinned]: moved }));
  const input = encodeRunInput({
    env: { WHO: 'alice', PASSWORD: secret },
    files: { [join(secrets, 'kubeconfig')]: 'apiVersion: v1\n' },
    nonce,
    action: 'install',
  });
  const result = spawnSync(busybox, ['sh', script], {
    cwd: dir,
    input,
    encoding: 'utf8',
    env: { PATH: bin, HOME: dir, LADING_OUTPUTS_DIR: outputs, LADING_SECRETS_DIR: secrets, LADING_RELOCATION_MAPPING: mapping, CNAB_INSTALLATION_NAME: 'demo' },
  });
  const { frames, masks } = readFrames(result.stdout, nonce);
  return { ...result, frames, masks, dir };
}

describe('porter.yaml steps run with Porter\'s meanings', () => {
  it('renders ${ } templates when the step runs, from the delivered values, outputs, installation and images', () => {
    const result = run({ relocated: false });
    expect(result.status, result.stderr).toBe(0);
    // Porter splits literal text into words: the space between the two image fields makes two arguments.
    for (const printed of [
      '[http://alice.example\n80\nhttp://b\n443]',
      '[/home/nonroot/.kube/config]',
      '[demo/porter-run@1.2.3]',
      `[127.0.0.1:5000/team/app]\n[${digest}]`,
      `[${secret}]`,
      '[--level]\n[info]',
    ]) {
      expect(result.stdout).toContain(printed);
    }
    expect(readFileSync(script, 'utf8')).not.toContain('alice');
    expect(existsPwned(result.dir)).toBe(false);
  });

  it('keeps the capture groups of every regex match, one a line, as Porter does', () => {
    const { frames } = run({ relocated: false });
    expect(frames.endpoint).toBe('http://alice.example\n80\nhttp://b\n443');
    // A step output no bundle output declares stays inside the run.
    expect(frames.scratch).toBeUndefined();
  });

  it('takes a bundle-level output from its path when no step wrote it, and masks sensitive and step-only outputs', () => {
    const { frames, masks } = run({ relocated: false });
    expect(frames.report).toBe('done');
    expect(frames.token).toBe('info');
    expect(masks).toContain('info');
    expect(masks).toContain('80\n443');
  });

  it('reads an image from the relocation mapping when the run has one', () => {
    const result = run({ relocated: true });
    expect(result.stdout).toContain(`[mirror.example:5000/copy/app]\n[${digest}]`);
  });
});

function existsPwned(dir: string): boolean {
  try {
    readFileSync(join(dir, 'PWNED'));
    return true;
  } catch {
    return false;
  }
}
