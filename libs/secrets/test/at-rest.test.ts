import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtRestCipher, createKeyFile, KeyFileError, readKeyFile, SecretStoreError } from '../src/internal.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lading-secrets-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('key files', () => {
  it('creates a 32-byte key with mode 0600 and reads it back', async () => {
    const path = join(dir, 'a.key');
    await createKeyFile(path);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readKeyFile(path)).length).toBe(32);
  });

  it('refuses to overwrite an existing key file, leaving it unchanged', async () => {
    const path = join(dir, 'b.key');
    await createKeyFile(path);
    const before = await readFile(path);
    await expect(createKeyFile(path)).rejects.toThrow(/already exists/);
    expect((await readFile(path)).equals(before)).toBe(true);
  });

  it.each([0o640, 0o604, 0o644])('refuses a key file with mode %o', async (mode) => {
    const path = join(dir, `open-${mode.toString(8)}.key`);
    await createKeyFile(path);
    await chmod(path, mode);
    const error = await readKeyFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyFileError);
    expect((error as Error).message).toBe(
      `Key file ${path} is readable by group or others (mode 0${mode.toString(8)}): run chmod 600 ${path}`,
    );
  });

  it('refuses a key file that does not hold a 32-byte key', async () => {
    const path = join(dir, 'short.key');
    await writeFile(path, Buffer.alloc(16).toString('base64'), { mode: 0o600 });
    await expect(readKeyFile(path)).rejects.toThrow(/does not hold a base64 32-byte key/);
  });
});

describe('AtRestCipher', () => {
  it('round-trips, binds the record to the secret name and names its key id', async () => {
    const path = join(dir, 'c.key');
    await createKeyFile(path);
    const cipher = await AtRestCipher.fromKeyFile(path);
    const record = cipher.encrypt('db-password', Buffer.from('canary-at-rest'));
    expect(record.kid).toBe(cipher.keyId);
    expect(cipher.decrypt('db-password', record).toString()).toBe('canary-at-rest');
    expect(() => cipher.decrypt('other-name', record)).toThrow(SecretStoreError);
    const other = new AtRestCipher(Buffer.alloc(32, 7));
    expect(() => other.decrypt('db-password', record)).toThrow(/encrypted with key/);
  });
});
