import { readFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { OciError, parseReference, readSigningKey, readVerificationKey, signBundle, verifyBundle } from '@lading/oci';
import { cliSettings, readSetting } from '@lading/service-kit/settings';
import { registryClientFor } from './registry-login.js';
import { UserError } from './user-error.js';

/** Where the passphrase of a signing key comes from; never an argument, so it is in no process list or shell history. */
export const keyPasswordEnv = cliSettings.keyPassword.name;

export function keyPassword(): string {
  const password = readSetting(cliSettings.keyPassword, process.env);
  if (!password) throw new UserError(`set ${keyPasswordEnv} to the passphrase of the signing key`);
  return password;
}

async function keyText(file: string, what: string): Promise<string> {
  return readFile(file, 'utf8').catch(() => Promise.reject(new UserError(`cannot read the ${what} ${file}`)));
}

async function signingKey(file: string): Promise<KeyObject> {
  const text = await keyText(file, 'signing key');
  try {
    return readSigningKey(text, keyPassword());
  } catch (error) {
    throw error instanceof OciError ? new UserError(`${file}: ${error.message}`) : error;
  }
}

/** Signs a bundle, by the digest reference it now has, and prints what was signed. */
export async function signPublished(reference: string, keyFile: string, force: boolean): Promise<void> {
  const key = await signingKey(keyFile);
  const { registry, repository, digest } = parseReference(reference);
  const client = await registryClientFor(registry);
  try {
    for (const part of await signBundle(client, repository, digest ?? '', key, force)) process.stdout.write(`  ${part.outcome} ${part.what} ${part.digest}\n`);
  } catch (error) {
    throw error instanceof OciError ? new UserError(error.message) : error;
  }
}

/** Refuses a pinned bundle reference unless the bundle and every image it lists are signed by the key in `keyFile`. */
export async function verifyPinned(reference: string, keyFile: string): Promise<void> {
  let key: KeyObject;
  try {
    key = readVerificationKey(await keyText(keyFile, 'verification key'));
  } catch (error) {
    throw error instanceof OciError ? new UserError(`${keyFile}: ${error.message}`) : error;
  }
  const { registry, repository, digest } = parseReference(reference);
  try {
    await verifyBundle(await registryClientFor(registry), repository, digest ?? '', key);
  } catch (error) {
    throw error instanceof OciError ? new UserError(`${error.message.replace(/\.$/, '')}: nothing was run`) : error;
  }
}
