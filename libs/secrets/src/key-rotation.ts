import { randomBytes } from 'node:crypto';
import { link, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AtRestCipher } from './at-rest-cipher.js';
import { BuiltinStore } from './builtin-store.js';
import { RotationNotSupportedError } from './errors.js';
import { createKeyFile } from './key-file.js';
import type { SecretStore } from './types.js';

const previousMark = '.previous-';
const nextMark = '.next-';

/** Key files an interrupted rotation left beside `keyFile`: the old keys still needed, and unused new ones. */
async function leftovers(keyFile: string): Promise<{ previous: string[]; unused: string[] }> {
  const name = basename(keyFile);
  const entries = await readdir(dirname(keyFile)).catch(() => [] as string[]);
  const pick = (mark: string) => entries.filter((entry) => entry.startsWith(`${name}${mark}`)).map((entry) => join(dirname(keyFile), entry));
  return { previous: pick(previousMark), unused: pick(nextMark) };
}

/** The ciphers of earlier keys kept by a rotation that did not finish, so their records stay readable. */
export async function previousStoreCiphers(keyFile: string): Promise<AtRestCipher[]> {
  const { previous } = await leftovers(keyFile);
  return Promise.all(previous.map((file) => AtRestCipher.fromKeyFile(file)));
}

/**
 * Rotates the built-in store's at-rest key. The switch is one rename: before it the key file
 * holds the old key, after it the new one, and the old key stays beside it as
 * `<file>.previous-<keyId>` until every record is re-encrypted. A crash at any point leaves a
 * broker that can still read everything and finishes the rotation when it starts again.
 */
export class KeyRotation {
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: SecretStore,
    private readonly keyFile: string,
  ) {}

  /** One rotation at a time: a second request waits for the first and then rotates again. */
  rotate(): Promise<{ rewritten: number; keyId: string }> {
    const next = this.#queue.then(() => this.#rotateOnce());
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Re-encrypts what an interrupted rotation left under an old key, then drops the old key files. */
  async finishInterrupted(): Promise<number> {
    const store = this.#builtin();
    const { previous, unused } = await leftovers(this.keyFile);
    for (const file of unused) await rm(file, { force: true });
    if (previous.length === 0) return 0;
    const { rewritten } = await store.rotate(await AtRestCipher.fromKeyFile(this.keyFile));
    for (const file of previous) await rm(file, { force: true });
    return rewritten;
  }

  async #rotateOnce(): Promise<{ rewritten: number; keyId: string }> {
    const store = this.#builtin();
    const current = await AtRestCipher.fromKeyFile(this.keyFile);
    const nextFile = `${this.keyFile}${nextMark}${randomBytes(6).toString('hex')}`;
    await createKeyFile(nextFile);
    const fresh = await AtRestCipher.fromKeyFile(nextFile);
    const previousFile = `${this.keyFile}${previousMark}${current.keyId}`;
    await link(this.keyFile, previousFile).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    await rename(nextFile, this.keyFile);
    const { rewritten } = await store.rotate(fresh);
    for (const file of (await leftovers(this.keyFile)).previous) await rm(file, { force: true });
    return { rewritten, keyId: fresh.keyId };
  }

  #builtin(): BuiltinStore {
    if (!(this.store instanceof BuiltinStore)) {
      throw new RotationNotSupportedError(
        'the secret store is HashiCorp Vault, whose keys Vault itself rotates: `lading secrets rotate-key` rotates the built-in store only',
      );
    }
    return this.store;
  }
}
