import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startRegistry, type TestRegistry } from '@lading/testkit';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assembleBuildContext,
  buildImage,
  connectDocker,
  ensureDockerAvailable,
  makeBusyboxBaseImage,
  pullImageByDigest,
  RuntimeError,
  saveImage,
} from '../src/index.js';
import { bundleDockerfile, pushForDigest, removeImages, uniqueName } from './docker-fixtures.js';
import { startTamperingEngine } from './tampering-engine.js';

const run = promisify(execFile);
const docker = connectDocker();
const images = new Set<string>();
const baseTag = `${uniqueName('base')}:busybox`;
let registry: TestRegistry;

beforeAll(async () => {
  await ensureDockerAvailable(docker);
  registry = await startRegistry();
  images.add(baseTag);
});

afterAll(async () => {
  await removeImages(docker, [...images].reverse());
  await registry?.stop();
});

describe('Docker connection', () => {
  it('names the socket and the fix when the engine does not answer', async () => {
    const absent = connectDocker({ socketPath: '/nonexistent/docker.sock' });
    await expect(ensureDockerAvailable(absent)).rejects.toThrow(
      'Docker Engine is not answering on /nonexistent/docker.sock: start dockerd (tools/setup.sh does it)',
    );
  });
});

describe('makeBusyboxBaseImage', () => {
  it('imports a busybox rootfs that runs, knows the nonroot user and is reused on the second call', async () => {
    const first = await makeBusyboxBaseImage(docker, { tag: baseTag });
    const second = await makeBusyboxBaseImage(docker, { tag: baseTag });
    expect(second).toBe(first);

    const { stdout } = await run('docker', ['run', '--rm', '--name', uniqueName('base-run'), baseTag, 'sh', '-c', 'busybox | head -n 1; id nonroot; stat -c "%a %u" /tmp /home/nonroot']);
    expect(stdout).toMatch(/^BusyBox v\d/);
    expect(stdout).toContain('uid=65532(nonroot) gid=65532(nonroot)');
    expect(stdout).toContain('1777 0\n755 65532\n');
    const inspected = await docker.getImage(baseTag).inspect();
    expect(inspected.Config.Cmd).toEqual(['/bin/sh']);
  });
});

describe('buildImage', () => {
  it('builds a bundle image from an assembled context, with its labels and non-root user', async () => {
    await makeBusyboxBaseImage(docker, { tag: baseTag });
    const tag = `${uniqueName('bundle')}:v1`;
    images.add(tag);
    const context = assembleBuildContext({
      files: [{ path: 'greeting.txt', mode: 0o644, content: Buffer.from('hello from the bundle\n') }],
      dockerfile: bundleDockerfile(baseTag),
      runScript: '#!/bin/sh\ncat /cnab/app/greeting.txt\nid -u\n',
    });

    const id = await buildImage(docker, context, { tag, labels: { 'sh.lading.bundle': 'demo' } });

    const inspected = await docker.getImage(tag).inspect();
    expect(inspected.Id).toBe(id);
    expect(inspected.Config.User).toBe('65532:65532');
    expect(inspected.Config.Labels).toMatchObject({ 'sh.lading.bundle': 'demo' });
    const { stdout } = await run('docker', ['run', '--rm', '--name', uniqueName('bundle-run'), tag]);
    expect(stdout).toBe('hello from the bundle\n65532\n');
  });

  it('rejects a failing RUN with the engine message', async () => {
    await makeBusyboxBaseImage(docker, { tag: baseTag });
    const context = assembleBuildContext({ files: [], dockerfile: `FROM ${baseTag}\nRUN exit 3\n`, runScript: '' });
    const failure = buildImage(docker, context, { labels: {} });
    await expect(failure).rejects.toBeInstanceOf(RuntimeError);
    await expect(failure).rejects.toThrow(/^Docker build failed: The command .*exit 3.* returned a non-zero code: 3$/);
  });

  it('rejects a FROM that cannot be resolved with the engine message', async () => {
    const context = assembleBuildContext({ files: [], dockerfile: 'FROM 127.0.0.1:1/lading-test-missing:v1\n', runScript: '' });
    await expect(buildImage(docker, context, { labels: {} })).rejects.toThrow(/^Docker build failed: .*127\.0\.0\.1:1.*connection refused/);
  });

  it('rejects a Dockerfile the engine cannot parse', async () => {
    const context = assembleBuildContext({ files: [], dockerfile: 'NOTANINSTRUCTION x\n', runScript: '' });
    await expect(buildImage(docker, context, { labels: {} })).rejects.toThrow(/^Docker build failed: .*unknown instruction/i);
  });
});

describe('saveImage', () => {
  it('streams the docker save archive of an image', async () => {
    await makeBusyboxBaseImage(docker, { tag: baseTag });
    const extract = tar.extract();
    (await saveImage(docker, baseTag)).pipe(extract as unknown as NodeJS.WritableStream);
    const names: string[] = [];
    for await (const entry of extract) {
      names.push(entry.header.name);
      entry.resume();
    }
    expect(names).toContain('manifest.json');
  });
});

describe('pullImageByDigest', () => {
  it('refuses a tag-only reference before contacting any registry', async () => {
    const failure = pullImageByDigest(docker, `${registry.host}/lading-test-app:v1`);
    await expect(failure).rejects.toMatchObject({ reason: 'invalid-reference' });
    await expect(failure).rejects.toThrow(/has no digest; only repo@sha256:<digest> references are run/);
  });

  it('pulls by digest from a real registry and verifies the digest the engine recorded', async () => {
    const baseId = await makeBusyboxBaseImage(docker, { tag: baseTag });
    const repository = uniqueName('pull');
    const reference = await pushForDigest(docker, baseTag, registry.host, repository, images);
    await docker.getImage(`${registry.host}/${repository}:v1`).remove();

    images.add(reference);
    const pulled = await pullImageByDigest(docker, reference);

    expect(pulled).toMatchObject({ id: baseId, reference });
  });

  it('rejects a digest the registry does not have with the engine message', async () => {
    const missing = `${registry.host}/${uniqueName('absent')}@sha256:${'0'.repeat(64)}`;
    await expect(pullImageByDigest(docker, missing)).rejects.toThrow(/^Pulling .* failed: .*(manifest unknown|not found)/i);
  });

  it('refuses an image the engine answers the digest reference with when the engine did not record that digest for it', async () => {
    const own = await startRegistry();
    try {
      const wantedId = await makeBusyboxBaseImage(docker, { tag: baseTag });
      const reference = await pushForDigest(docker, baseTag, own.host, uniqueName('wanted'), images);
      images.add(reference);
      const otherTag = `${uniqueName('other')}:v1`;
      images.add(otherTag);
      const otherId = await buildImage(docker, assembleBuildContext({ files: [], dockerfile: `FROM ${baseTag}\nRUN echo other > /other\n`, runScript: '' }), { tag: otherTag });
      expect(otherId).not.toBe(wantedId);
      const lying = await startTamperingEngine(reference, otherId);
      try {
        const failure = pullImageByDigest(connectDocker({ socketPath: lying.socketPath }), reference);
        await expect(failure).rejects.toMatchObject({ reason: 'digest-mismatch' });
        await expect(failure).rejects.toThrow(`Image pulled for ${reference} is known by no digest instead`);
        // The same pull through the honest engine is accepted: the refusal is the engine's answer, not the reference.
        expect(await pullImageByDigest(docker, reference)).toMatchObject({ id: wantedId, reference });
      } finally {
        await lying.stop();
      }
    } finally {
      await own.stop();
    }
  });

  it('takes an image pulled and verified before without asking the registry again', async () => {
    const own = await startRegistry();
    let stopped = false;
    try {
      await makeBusyboxBaseImage(docker, { tag: baseTag });
      const reference = await pushForDigest(docker, baseTag, own.host, uniqueName('cached'), images);
      images.add(reference);
      const first = await pullImageByDigest(docker, reference);
      await own.stop();
      stopped = true;
      expect(await pullImageByDigest(docker, reference)).toEqual(first);
    } finally {
      if (!stopped) await own.stop();
    }
  });
});
