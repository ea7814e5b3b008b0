import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRunInput, parseManifest, renderRunScript } from '../src/index.js';
import { busybox, busyboxOnlyPath, readFrames } from './run-harness.js';

// kubernetes steps run by the generated script under busybox sh, with a kubectl that records how it was called.
const nonce = 'c0ffee00'.repeat(4);

const porterYaml = `schemaVersion: 1.0.1
name: kube-run
version: 0.1.0
registry: localhost:5000
mixins: [exec, kubernetes]
credentials:
  - { name: kubeconfig, path: /home/nonroot/.kube/config }
parameters:
  - { name: namespace, type: string, default: demo }
outputs:
  - { name: ip }
  - { name: token, sensitive: true }
install:
  - kubernetes:
      description: Install Hello World App
      manifests: [manifests/hello, "manifests/\${ bundle.parameters.namespace } app.yaml"]
      namespace: "\${ bundle.parameters.namespace }"
      outputs:
        - { name: ip, resourceType: service, resourceName: hello, namespace: default, jsonPath: "{.spec.clusterIP}" }
        - { name: token, resourceType: secret, resourceName: "\${ bundle.parameters.namespace }-token", jsonPath: "{.data.token}" }
uninstall:
  - kubernetes: { manifests: [manifests/hello], force: true }
`;

/** Records each call's KUBECONFIG and words; `get` prints a value without a newline, as kubectl's jsonpath does. */
const fakeKubectl = (log: string) => `#!/bin/sh
{ printf 'KUBECONFIG=%s' "$KUBECONFIG"; for a in "$@"; do printf ' [%s]' "$a"; done; printf '\\n'; } >> ${JSON.stringify(log)}
case "$1 $2" in
  'get service') printf '10.96.0.7' ;;
  'get secret') printf 's3cr3t-value' ;;
  'get '*) exit 1 ;;
  *) echo "applied $3" ;;
esac
`;

let root: string;
let script: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lading-kube-run-'));
  script = join(root, 'run');
  writeFileSync(script, renderRunScript(parseManifest(porterYaml, 'porter.yaml')));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(action: string, options: { kubectl: boolean; env?: Record<string, string>; values?: Record<string, string> }) {
  const dir = mkdtempSync(join(root, 'run-'));
  const bin = busyboxOnlyPath(dir);
  const log = join(dir, 'kubectl.log');
  if (options.kubectl) {
    writeFileSync(join(bin, 'kubectl'), fakeKubectl(log));
    chmodSync(join(bin, 'kubectl'), 0o755);
  }
  const [outputs, secrets] = [join(dir, 'outputs'), join(dir, 'secrets')];
  mkdirSync(outputs);
  mkdirSync(secrets);
  const input = encodeRunInput({ files: { [join(secrets, 'kubeconfig')]: 'apiVersion: v1\n' }, ...(options.values ? { env: options.values } : {}), nonce, action });
  const result = spawnSync(busybox, ['sh', script], {
    cwd: dir,
    input,
    encoding: 'utf8',
    env: { PATH: bin, HOME: dir, LADING_OUTPUTS_DIR: outputs, LADING_SECRETS_DIR: secrets, ...options.env },
  });
  const calls = options.kubectl ? readFileSync(log, 'utf8').trim().split('\n') : [];
  return { ...result, ...readFrames(result.stdout, nonce), calls, dir };
}

describe('the run script runs kubernetes steps as the mixin does', () => {
  it('applies each manifest, one argument each, templates rendered at run time, with Porter\'s kubeconfig path', () => {
    const result = run('install', { kubectl: true });
    expect(result.status, result.stdout).toBe(0);
    expect(result.calls).toEqual([
      'KUBECONFIG=/home/nonroot/.kube/config [apply] [-f] [manifests/hello] [-n] [demo] [--wait]',
      'KUBECONFIG=/home/nonroot/.kube/config [apply] [-f] [manifests/demo app.yaml] [-n] [demo] [--wait]',
      'KUBECONFIG=/home/nonroot/.kube/config [get] [service] [hello] [-o=jsonpath={.spec.clusterIP}] [--namespace=default]',
      'KUBECONFIG=/home/nonroot/.kube/config [get] [secret] [demo-token] [-o=jsonpath={.data.token}]',
    ]);
    expect(result.stdout).toContain('lading: Install Hello World App\napplied manifests/hello');
  });

  it('passes a value that looks like shell as one word, never running it', () => {
    const evil = `x' "$(touch PWNED)" \`touch PWNED\``;
    const result = run('install', { kubectl: true, values: { NAMESPACE: evil } });
    expect(result.status, result.stdout).toBe(0);
    expect(result.calls[0]).toBe(`KUBECONFIG=/home/nonroot/.kube/config [apply] [-f] [manifests/hello] [-n] [${evil}] [--wait]`);
    expect(spawnSync(busybox, ['ls', '-A', result.dir], { encoding: 'utf8' }).stdout).not.toContain('PWNED');
  });

  it('keeps what kubectl get prints as the output, shows it nowhere, and masks a sensitive one', () => {
    const result = run('install', { kubectl: true });
    expect(result.frames).toEqual({ ip: '10.96.0.7', token: 's3cr3t-value' });
    const framesRemoved = result.stdout.split('\n').filter((line) => !line.startsWith(nonce)).join('\n');
    expect(framesRemoved).not.toContain('10.96.0.7');
    expect(framesRemoved).not.toContain('s3cr3t-value');
    expect(result.masks).toContain('s3cr3t-value');
    expect(result.masks).not.toContain('10.96.0.7');
  });

  it('deletes at uninstall, forcing with a grace period of 0, and leaves a KUBECONFIG the bundle set alone', () => {
    const result = run('uninstall', { kubectl: true, env: { KUBECONFIG: '/cnab/app/my-config' } });
    expect(result.status, result.stdout).toBe(0);
    expect(result.calls).toEqual(['KUBECONFIG=/cnab/app/my-config [delete] [--ignore-not-found=true] [-f] [manifests/hello] [--force] [--grace-period=0] [--wait]']);
  });

  it('fails in one sentence, running nothing, when the image has no kubectl', () => {
    const result = run('install', { kubectl: false });
    expect(result.status).toBe(127);
    expect(result.stdout).toContain(
      'lading: the kubernetes mixin runs kubectl, which is not on the PATH of this invocation image; build the bundle from a base image or a dockerfile template that installs kubectl\n',
    );
    expect(result.stdout).not.toContain('not found');
    expect(result.frames).toEqual({});
  });
});

describe('an output kubectl cannot get', () => {
  it('fails the step and leaves no output behind', () => {
    const text = porterYaml.replace('resourceType: service', 'resourceType: pod');
    const failing = join(root, 'run-failing');
    writeFileSync(failing, renderRunScript(parseManifest(text, 'porter.yaml')));
    const dir = mkdtempSync(join(root, 'fail-'));
    const bin = busyboxOnlyPath(dir);
    writeFileSync(join(bin, 'kubectl'), fakeKubectl(join(dir, 'log')));
    chmodSync(join(bin, 'kubectl'), 0o755);
    const outputs = join(dir, 'outputs');
    mkdirSync(outputs);
    const result = spawnSync(busybox, ['sh', failing], {
      cwd: dir,
      input: encodeRunInput({ nonce, action: 'install' }),
      encoding: 'utf8',
      env: { PATH: bin, HOME: dir, LADING_OUTPUTS_DIR: outputs, LADING_SECRETS_DIR: join(dir, 'secrets') },
    });
    expect(result.status).toBe(1);
    expect(readFrames(result.stdout, nonce).frames).toEqual({});
    expect(spawnSync(busybox, ['ls', '-A', outputs], { encoding: 'utf8' }).stdout).toBe('');
  });
});
