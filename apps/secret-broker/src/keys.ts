import { readFile, writeFile, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { AtRestCipher, createKeyFile, exportPrivateKey, generateSealingKeyPair, importPrivateKey, refuseSharedKeyFile } from '@lading/secrets';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The broker's long-lived X25519 key: values sent to the broker are sealed to its public half. */
export async function loadOrCreateBrokerKey(path: string): Promise<KeyObject> {
  if (!(await exists(path))) {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(path, exportPrivateKey(generateSealingKeyPair().privateKey), { mode: 0o600, flag: 'wx' });
  }
  refuseSharedKeyFile(path, (await stat(path)).mode);
  return importPrivateKey(await readFile(path, 'utf8'));
}

/** The built-in store's at-rest key, created with mode 0600 on first start. */
export async function loadOrCreateStoreCipher(path: string): Promise<AtRestCipher> {
  if (!(await exists(path))) {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await createKeyFile(path);
  }
  return AtRestCipher.fromKeyFile(path);
}
