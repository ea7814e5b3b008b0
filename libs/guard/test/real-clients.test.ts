import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGuardStack, type GuardStack } from './support/guard-stack.js';
import { importBusyboxImage, makeOciLayout, runClient, scratchDir, skopeoCopy } from './support/clients.js';
import { upstreamDigest } from './support/oci-http.js';

describe('docker and skopeo pushing through the registry guard', () => {
  let stack: GuardStack;
  let guardHost: string;
  let scratch: string;
  const images: string[] = [];

  beforeAll(async () => {
    stack = await startGuardStack(1);
    guardHost = stack.replicas[0]!.host;
    scratch = await scratchDir();
  });
  afterAll(async () => {
    for (const image of images) await runClient('docker', ['rmi', '--force', image]);
    await stack?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('skopeo: writes a new tag, re-copies idempotently, and shows the refusal of another digest', async () => {
    const first = await makeOciLayout(scratch);
    const created = await skopeoCopy(first, `${guardHost}/skopeo/app:v1`);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(await upstreamDigest(stack.registry.url, 'skopeo/app', 'v1')).toBe(first.digest);

    expect((await skopeoCopy(first, `${guardHost}/skopeo/app:v1`)).code).toBe(0);

    const second = await makeOciLayout(scratch);
    const refused = await skopeoCopy(second, `${guardHost}/skopeo/app:v1`);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`tag skopeo/app:v1 already holds ${first.digest}; publish with --force to replace it`);
    expect(await upstreamDigest(stack.registry.url, 'skopeo/app', 'v1')).toBe(first.digest);
  });

  it('docker push: writes a new tag, re-pushes idempotently, and shows the refusal of another image', async () => {
    const suffix = randomBytes(4).toString('hex');
    const first = `${guardHost}/docker/app:v1`;
    const local = [`lading-test-guard-a-${suffix}`, `lading-test-guard-b-${suffix}`];
    images.push(...local, first);
    await importBusyboxImage(scratch, local[0]!);
    await importBusyboxImage(scratch, local[1]!);

    expect((await runClient('docker', ['tag', local[0]!, first])).code).toBe(0);
    const pushed = await runClient('docker', ['push', first]);
    expect(pushed.code).toBe(0);
    const digest = /digest: (sha256:[a-f0-9]{64})/.exec(pushed.stdout)?.[1];
    expect(await upstreamDigest(stack.registry.url, 'docker/app', 'v1')).toBe(digest);

    expect((await runClient('docker', ['push', first])).code).toBe(0);

    expect((await runClient('docker', ['tag', local[1]!, first])).code).toBe(0);
    const refused = await runClient('docker', ['push', first]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`tag docker/app:v1 already holds ${digest}; publish with --force to replace it`);
    expect(await upstreamDigest(stack.registry.url, 'docker/app', 'v1')).toBe(digest);
  });
});
