import { randomBytes } from 'node:crypto';
import { readdir, readFile, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  connectDocker,
  encodeStdinPayload,
  runBundleContainer,
  type RunBundleContainerOptions,
} from '../src/internal.js';
import { containerExists, uniqueName } from './docker-fixtures.js';
import { releaseProbe, useProbeImage } from './probe-image.js';

const docker = connectDocker();
const nonce = randomBytes(16).toString('hex');
const suite = useProbeImage(docker);
const { owner } = suite;

interface Captured {
  exitCode: number;
  containerId: string;
  stdout: string;
  stderr: string;
}

async function runProbe(action: string, extra: Partial<RunBundleContainerOptions> = {}, files: Record<string, string> = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const result = await runBundleContainer(docker, {
    image: suite.image(),
    name: uniqueName(action),
    stdinPayload: encodeStdinPayload({ action, nonce, files }),
    labels: { 'sh.lading.test': 'run-container' },
    owner,
    onStdout: (chunk) => (stdout += chunk.toString()),
    onStderr: (chunk) => (stderr += chunk.toString()),
    ...extra,
  });
  return { ...result, stdout, stderr };
}

describe('runBundleContainer enforces the hardened configuration whatever the image says', () => {
  it('runs as 65532:65532 although the Dockerfile says USER root', async () => {
    expect((await docker.getImage(suite.image()).inspect()).Config.User).toBe('root');
    const result = await runProbe('whoami');
    expect(result).toMatchObject({ exitCode: 0, stdout: '65532\n65532\n' });
  });

  it('leaves no capability in any set, the bounding and ambient sets included, and sets no-new-privileges', async () => {
    // CapEff and CapPrm read 0 for uid 65532 whatever CapDrop says; the bounding set is what CapDrop and CapAdd decide.
    const { stdout } = await runProbe('privileges');
    const sets = Object.fromEntries(stdout.trim().split('\n').map((line) => line.split(':\t')));
    expect(sets).toEqual({
      CapInh: '0000000000000000',
      CapPrm: '0000000000000000',
      CapEff: '0000000000000000',
      CapBnd: '0000000000000000',
      CapAmb: '0000000000000000',
      NoNewPrivs: '1',
    });
  });

  it('mounts the root filesystem read-only (mount table and a bundle-owned directory), hides the Docker socket, separates stderr and returns the exit code', async () => {
    const result = await runProbe('filesystem');
    expect(result).toMatchObject({
      exitCode: 7,
      stdout: 'root-mount=ro\nowned-by=65532\nowned-dir=refused\nsocket=absent\n',
      stderr: 'to-stderr\n',
    });
  });

  it('mounts the Docker socket only when the operator allows it', async () => {
    const result = await runProbe('filesystem', { allowDockerSocket: true });
    expect(result.stdout).toContain('socket=present');
  });

  it('limits the bundle to one CPU unless told otherwise, and to the CPUs it is given', async () => {
    const period = (text: string) => text.trim().split(' ');
    const [quota, length] = period((await runProbe('cpu')).stdout.replace('cpu=', ''));
    expect(Number(quota) / Number(length)).toBe(1);
    const [halfQuota, halfLength] = period((await runProbe('cpu', { nanoCpus: 500_000_000 })).stdout.replace('cpu=', ''));
    expect(Number(halfQuota) / Number(halfLength)).toBe(0.5);
  });

  it("labels the container with its owner's runner and stack", async () => {
    let containerId = '';
    let labels: Promise<Record<string, string>> | undefined;
    const result = await runProbe('pause', {
      onStarted: (id) => (containerId = id),
      onStdout: (chunk) => {
        if (labels || !chunk.toString().includes('PAUSED')) return;
        labels = docker.getContainer(containerId).inspect().then(async (details) => (await releaseProbe(docker, containerId), details.Config.Labels));
      },
    });
    expect(result.exitCode).toBe(0);
    expect(await labels).toMatchObject({ 'sh.lading.runner': owner.runnerId, 'sh.lading.stack': owner.stackId, 'sh.lading.test': 'run-container' });
  });

  it('removes the container after the run', async () => {
    const { containerId } = await runProbe('whoami');
    expect(await containerExists(docker, containerId)).toBe(false);
  });

  it('refuses a tag-only image reference before creating a container', async () => {
    const name = uniqueName('tagged');
    const failure = runProbe('whoami', { image: `127.0.0.1:1/lading-test-app:v1`, name });
    await expect(failure).rejects.toMatchObject({ reason: 'invalid-reference' });
    expect(await containerExists(docker, name)).toBe(false);
  });

  it('names the missing image when a digest reference was never pulled', async () => {
    const absent = `127.0.0.1:1/lading-test-never-pulled@sha256:${'1'.repeat(64)}`;
    await expect(runProbe('whoami', { image: absent })).rejects.toThrow(`Image ${absent} is not on this Docker host: pull it by digest first.`);
  });

  it('fails the run with the error of a throwing output callback and still removes the container', async () => {
    let containerId = '';
    const failure = runProbe('whoami', {
      onStarted: (id) => (containerId = id),
      onStdout: () => {
        throw new Error('log sink is full');
      },
    });
    await expect(failure).rejects.toThrow('log sink is full');
    expect(await containerExists(docker, containerId)).toBe(false);
  });

  it('kills and removes the container when the run is aborted', async () => {
    const controller = new AbortController();
    let containerId = '';
    const failure = runProbe('pause', {
      signal: controller.signal,
      onStarted: (id) => (containerId = id),
      onStdout: (chunk) => {
        if (chunk.toString().includes('PAUSED')) controller.abort();
      },
    });
    await expect(failure).rejects.toMatchObject({ reason: 'run-aborted' });
    expect(containerId).not.toBe('');
    expect(await containerExists(docker, containerId)).toBe(false);
  });
});

async function filesContaining(root: string, needles: Buffer[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const name of await readdir(dir)) {
      const path = join(dir, name);
      const info = await lstat(path);
      if (info.isDirectory()) await walk(path);
      else if (info.isFile()) {
        const content = await readFile(path);
        if (needles.some((needle) => content.includes(needle))) found.push(path);
      }
    }
  };
  await walk(root);
  return found;
}

describe('secrets delivered through stdin (guarantee 1)', () => {
  it('are readable inside, but absent from docker inspect, the writable layer and the container directory', async () => {
    const canary = `lading-canary-${randomBytes(12).toString('hex')}`;
    const needles = [Buffer.from(canary), Buffer.from(Buffer.from(canary).toString('base64'))];
    let inspection: ReturnType<typeof inspectWhileRunning> | undefined;
    let containerId = '';
    let stdout = '';

    const result = await runBundleContainer(docker, {
      image: suite.image(),
      name: uniqueName('canary'),
      stdinPayload: encodeStdinPayload({ action: 'canary', nonce, files: { '/cnab/secrets/canary': canary } }),
      owner,
      onStarted: (id) => (containerId = id),
      onStdout: (chunk) => {
        stdout += chunk.toString();
        // The script waits on a fifo after this marker until inspectWhileRunning releases it.
        if (!inspection && stdout.includes('PAUSED\n')) inspection = inspectWhileRunning(containerId, needles);
      },
    });

    expect(inspection).toBeDefined();
    const { inspect, leaks, control } = await inspection!;
    expect(control.length).toBeGreaterThan(0);
    expect(inspect.State.Running).toBe(true);
    for (const needle of needles) expect(JSON.stringify(inspect)).not.toContain(needle.toString());
    expect(leaks).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(stdout).toBe(`mode=700 owner=65532:65532\nmode=644 owner=65532:65532\nPAUSED\ninside=${canary}\n`);
  });
});

async function inspectWhileRunning(containerId: string, needles: Buffer[]) {
  const container = docker.getContainer(containerId);
  const inspect = await container.inspect();
  const upperDir = (inspect.GraphDriver.Data as Record<string, string>).UpperDir!;
  const containerDir = join('/var/lib/docker/containers', containerId);
  const leaks = [...(await filesContaining(upperDir, needles)), ...(await filesContaining(containerDir, needles))];
  // Control: the scan does read the engine's files for this container (its config names it).
  const control = await filesContaining(containerDir, [Buffer.from(inspect.Name.slice(1))]);
  await releaseProbe(docker, containerId);
  return { inspect, leaks, control };
}

