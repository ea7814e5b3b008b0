import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPrivateKey, KeyFileError } from '@lading/secrets/internal';
import { loadOrCreateBrokerKey } from '../src/keys.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lading-broker-key-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('secret-broker: its sealing key file', () => {
  it('creates the key with mode 0600 and loads the same key again', async () => {
    const path = join(dir, 'state', 'broker.key');
    const created = await loadOrCreateBrokerKey(path);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const loaded = await loadOrCreateBrokerKey(path);
    expect(exportPrivateKey(loaded)).toBe(exportPrivateKey(created));
  });

  it('refuses a key file readable by group and others (mode 0644), leaving it unchanged', async () => {
    const path = join(dir, 'open.key');
    await loadOrCreateBrokerKey(path);
    const before = await readFile(path);
    await chmod(path, 0o644);
    const error = await loadOrCreateBrokerKey(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyFileError);
    expect((error as Error).message).toBe(`Key file ${path} is readable by group or others (mode 0644): run chmod 600 ${path}`);
    expect((await readFile(path)).equals(before)).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o644);
  });
});
