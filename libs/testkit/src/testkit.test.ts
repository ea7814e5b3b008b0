import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startNatsServer, startRegistry, type TestNatsServer, type TestRegistry } from './index.js';

describe('testkit', () => {
  let nats: TestNatsServer | undefined;
  let registry: TestRegistry | undefined;
  afterAll(async () => {
    await nats?.stop();
    await registry?.stop();
  });

  it('starts a real nats-server with JetStream', async () => {
    nats = await startNatsServer();
    expect(nats.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
  });

  it('starts a real registry that answers the distribution API', async () => {
    registry = await startRegistry();
    const answer = await fetch(`${registry.url}/v2/`);
    expect(answer.status).toBe(200);
  });

  it('removes the directory of a nats-server that fails to start, and says why it failed', async () => {
    // os.tmpdir() reads TMPDIR on every call: this test alone sees what is made in its folder.
    const scratch = await mkdtemp(join(tmpdir(), 'lading-testkit-'));
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = scratch;
    try {
      await expect(startNatsServer('this is { not a configuration')).rejects.toThrow(/^nats-server did not start: /);
      expect(await readdir(scratch)).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
