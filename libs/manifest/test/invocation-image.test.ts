import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, type TestRegistry } from '@lading/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUILD_CONTEXT_APP_DIR,
  BUILD_CONTEXT_RUN_SCRIPT,
  parseManifest,
  renderDockerfile,
  renderRunScript,
  SECRETS_DIR,
} from '../src/internal.js';

// The Dockerfile and run script together, in a real container run the way the runner runs one.
const suffix = randomBytes(4).toString('hex');
const bundleImage = `lading-test-manifest-bundle-${suffix}`;
const container = `lading-test-manifest-run-${suffix}`;
const nonce = randomBytes(16).toString('hex');
const secret = `tok'en $(id) \`id\` "x"\nline two`;
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

let registry: TestRegistry;
let work: string;
let baseTag: string;

function docker(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('docker', args, { encoding: 'utf8', input, env: { ...process.env, DOCKER_BUILDKIT: '0' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function mustDocker(args: string[]): string {
  const result = docker(args);
  if (result.status !== 0) throw new Error(`docker ${args[0]} failed: ${result.stderr}`);
  return result.stdout;
}

const manifestText = `name: container-test
version: 1.0.0
registry: 127.0.0.1:5000/t
baseImage: 127.0.0.1:5000/lading/busybox:1.35
credentials:
  - { name: token, env: API_TOKEN }
  - { name: kubeconfig, path: /home/nonroot/.kube/config }
outputs:
  - { name: whoami }
  - { name: config }
install:
  - exec:
      command: sh
      arguments: ["-c", 'id -u; id -g; test -w /cnab/app/run || echo run-is-read-only; printf "%s" "$API_TOKEN" | wc -c']
      outputs: [{ name: whoami, regex: "^[0-9]+$" }]
  - exec:
      command: cat
      arguments: [/home/nonroot/.kube/config]
      outputs: [{ name: config, regex: "server: .*" }]
  - exec:
      command: /cnab/app/hello.sh
      arguments: ["{{ bundle.credentials.token }}"]
`;

beforeAll(async () => {
  registry = await startRegistry();
  work = mkdtempSync(join(tmpdir(), 'lading-test-image-'));
  const rootfs = join(work, 'rootfs');
  mkdirSync(join(rootfs, 'bin'), { recursive: true });
  mkdirSync(join(rootfs, 'tmp'));
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  copyFileSync('/bin/busybox', join(rootfs, 'bin', 'busybox'));
  chmodSync(join(rootfs, 'bin', 'busybox'), 0o755);
  const applets = spawnSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const applet of applets) if (applet !== 'busybox') symlinkSync('busybox', join(rootfs, 'bin', applet));
  mkdirSync(join(rootfs, 'usr'));
  symlinkSync('../bin', join(rootfs, 'usr', 'bin'));
  const tarball = join(work, 'rootfs.tar');
  const tar = spawnSync('tar', ['-C', rootfs, '-cf', tarball, '.']);
  if (tar.status !== 0) throw new Error('tar failed');
  baseTag = `${registry.host}/lading-test-manifest-base-${suffix}:1`;
  mustDocker(['import', tarball, baseTag]);
  mustDocker(['push', baseTag]);
  const baseDigestRef = mustDocker(['inspect', '--format', '{{index .RepoDigests 0}}', baseTag]).trim();

  const manifest = parseManifest(manifestText);
  const context = join(work, 'context');
  mkdirSync(join(context, BUILD_CONTEXT_APP_DIR), { recursive: true });
  writeFileSync(join(context, BUILD_CONTEXT_APP_DIR, 'lading.yaml'), manifestText);
  writeFileSync(join(context, BUILD_CONTEXT_APP_DIR, 'hello.sh'), '#!/bin/sh\nprintf "hello.sh got %s\\n" "$1" | head -1\n', { mode: 0o755 });
  writeFileSync(join(context, BUILD_CONTEXT_RUN_SCRIPT), renderRunScript(manifest));
  writeFileSync(join(context, 'Dockerfile'), renderDockerfile(manifest, { baseImageDigestRef: baseDigestRef }));
  mustDocker(['build', '-q', '-t', bundleImage, context]);
});

afterAll(async () => {
  docker(['rm', '-f', container]);
  docker(['rmi', '-f', bundleImage, baseTag]);
  await registry?.stop();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the invocation image', () => {
  it('runs the action as 65532 with values from stdin only, reading the file through its symlink', () => {
    const input = [
      `env API_TOKEN ${b64(secret)}`,
      `file ${SECRETS_DIR}/kubeconfig ${b64('apiVersion: v1\nserver: https://k8s.example\n')}`,
      `nonce - ${nonce}`,
      `action - ${b64('install')}`,
      'end',
      '',
    ].join('\n');
    const result = docker(
      [
        'run', '-i', '--name', container, '--user', '65532:65532', '--cap-drop', 'ALL',
        '--security-opt', 'no-new-privileges', '--network', 'none',
        '--tmpfs', `${SECRETS_DIR}:uid=65532,gid=65532,mode=0700`, bundleImage,
      ],
      input,
    );
    expect(result.stderr).not.toContain('lading: unknown');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    // The run script's own progress lines share the bundle's one output stream.
    const printed = lines.filter((line) => !line.startsWith('lading: '));
    expect(printed.slice(0, 3)).toEqual(['65532', '65532', 'run-is-read-only']);
    expect(lines).toContain(String(Buffer.byteLength(secret)));
    expect(lines).toContain(`hello.sh got tok'en $(id) \`id\` "x"`);
    const frames = Object.fromEntries(
      lines.filter((l) => l.startsWith(`${nonce} output `)).map((l) => {
        const [, , name, data] = l.split(' ');
        return [name, Buffer.from(data, 'base64').toString('utf8')];
      }),
    );
    expect(frames).toEqual({ whoami: `65532\n65532\n${Buffer.byteLength(secret)}\n`, config: 'server: https://k8s.example\n' });

    // Nothing of the values reaches what Docker records about the container.
    const inspected = mustDocker(['inspect', container]);
    expect(inspected).not.toContain('tok');
    expect(inspected).not.toContain('k8s.example');
    expect(JSON.parse(inspected)[0].Config.User).toBe('65532:65532');
  });
});
