import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { OciError, readVerificationKey } from '@lading/oci';
import type { SignaturePolicy, SignatureRule } from '@lading/execution';
import { RunnerSettingsError } from './runner-identity.js';

const variable = 'LADING_SIGNATURE_POLICY';
const shape = 'a JSON list of { "repositories": "<registry>/<repository prefix>", "keys": ["<public key file>", …] }';

async function readText(file: string, what: string): Promise<string> {
  return readFile(file, 'utf8').catch(() => Promise.reject(new RunnerSettingsError(`${variable}: cannot read the ${what} ${file}.`)));
}

async function readRule(entry: unknown, position: number, directory: string): Promise<SignatureRule> {
  const rule = entry as { repositories?: unknown; keys?: unknown } | null;
  const keyFiles = rule?.keys;
  const valid =
    typeof rule === 'object' && rule !== null && Object.keys(rule).every((field) => field === 'repositories' || field === 'keys') &&
    typeof rule.repositories === 'string' && rule.repositories.includes('/') &&
    Array.isArray(keyFiles) && keyFiles.length > 0 && keyFiles.every((file) => typeof file === 'string' && file !== '');
  if (!valid) throw new RunnerSettingsError(`${variable}: rule ${position + 1} is not ${shape.replace('a JSON list of ', '')}.`);
  // Key files are named relative to the policy file, so a policy and its keys move together.
  const files = (keyFiles as string[]).map((file) => resolve(directory, file));
  const keys = [];
  for (const file of files) {
    try {
      keys.push(readVerificationKey(await readText(file, 'public key')));
    } catch (error) {
      throw error instanceof OciError ? new RunnerSettingsError(`${variable}: ${file}: ${error.message.replace(/\.$/, '')}.`) : error;
    }
  }
  return { repositories: rule.repositories as string, keyFiles: files, keys };
}

/** Reads the operator's signature policy file, if one is set; any fault stops the runner with one sentence. */
export async function readSignaturePolicy(file: string | undefined): Promise<SignaturePolicy> {
  if (file === undefined || file === '') return [];
  const text = await readText(file, 'signature policy');
  let rules: unknown;
  try {
    rules = JSON.parse(text);
  } catch {
    throw new RunnerSettingsError(`${variable}: ${file} is not JSON; write ${shape}.`);
  }
  if (!Array.isArray(rules)) throw new RunnerSettingsError(`${variable}: ${file} is not ${shape}.`);
  return Promise.all(rules.map((rule, position) => readRule(rule, position, dirname(resolve(file)))));
}
