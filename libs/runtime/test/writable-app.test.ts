import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest, renderDockerfile, renderRunScript, WRITABLE_APP_LABEL } from '@lading/manifest';
import { startRegistry, type TestRegistry } from '@lading/testkit';
import {
  assembleBuildContext,
  buildImage,
  connectDocker,
  encodeStdinPayload,
  makeBusyboxBaseImage,
  pullImageByDigest,
  removeLeftovers,
  runBundleContainer,
  type ContainerOwner,
} from '../src/index.js';
import { pushForDigest, removeImages, uniqueName } from './docker-fixtures.js';

// A bundle as Lading builds it, whose scripts write beside themselves in /cnab/app (Porter's bundles do).
const manifest = parseManifest(`name: writer
version: 1.0.0
registry: 127.0.0.1:5000/t
install:
  - exec:
      command: sh
      arguments:
        - -c
        - >-
          echo state > /cnab/app/state.txt && cat /cnab/app/state.txt;
          ./hello.sh;
          (echo x > /etc/planted) 2>/dev/null || echo root-read-only;
          (echo x >> /cnab/lading/app/hello.sh) 2>/dev/null || echo image-copy-read-only;
          (echo x >> /cnab/lading/run) 2>/dev/null || echo run-script-read-only;
          grep ' /cnab/app ' /proc/mounts | cut -d' ' -f3
`);

const docker = connectDocker();
const made = new Set<string>();
const owner: ContainerOwner = { runnerId: uniqueName('runner'), stackId: uniqueName('stack') };
let registry: TestRegistry;
let image: string;
let pulledLabels: Record<string, string>;

beforeAll(async () => {
  registry = await startRegistry();
  const baseTag = `${uniqueName('writable-base')}:busybox`;
  made.add(baseTag);
  await makeBusyboxBaseImage(docker, { tag: baseTag });
  const base = await pushForDigest(docker, baseTag, registry.host, uniqueName('base'), made);
  const context = assembleBuildContext({
    files: [{ path: 'hello.sh', mode: 0o755, content: Buffer.from('#!/bin/sh\necho hello from the copy\n') }],
    dockerfile: renderDockerfile(manifest, { baseImageDigestRef: base }),
    runScript: renderRunScript(manifest),
  });
  const localTag = `${uniqueName('writable-bundle')}:v1`;
  made.add(localTag);
  await buildImage(docker, context, { tag: localTag, labels: {} });
  image = await pushForDigest(docker, localTag, registry.host, uniqueName('writer'), made);
  made.add(image);
  pulledLabels = (await pullImageByDigest(docker, image)).labels;
});

afterAll(async () => {
  await removeLeftovers(docker, owner);
  await removeImages(docker, made);
  await registry?.stop();
});

describe('/cnab/app of a Lading invocation image', () => {
  it.each([
    ['reads the label from the engine', undefined],
    ['takes the label its pull read, as the runner does', 'pulled'],
  ])("is a writable tmpfs copy of the bundle's files while the root, the image's copy and the run script stay read-only (%s)", async (_how, labels) => {
    if (labels) expect(pulledLabels[WRITABLE_APP_LABEL]).toBe('true');
    let stdout = '';
    let stderr = '';
    const result = await runBundleContainer(docker, {
      image,
      imageLabels: labels ? pulledLabels : undefined,
      name: uniqueName('writable-app'),
      stdinPayload: encodeStdinPayload({ action: 'install', nonce: randomBytes(16).toString('hex') }),
      labels: { 'sh.lading.test': 'writable-app' },
      owner,
      onStdout: (chunk) => (stdout += chunk.toString()),
      onStderr: (chunk) => (stderr += chunk.toString()),
    });
    expect(result.exitCode, stderr).toBe(0);
    // The run script's step labels share stdout with the step's own output.
    expect(stdout.trim().split('\n').filter((line) => !line.startsWith('lading: '))).toEqual(['state', 'hello from the copy', 'root-read-only', 'image-copy-read-only', 'run-script-read-only', 'tmpfs']);
  });
});
