/**
 * The operator's signature policy file: read at start, keys named relative to it; any fault in it stops a real
 * runner process before it touches Docker or NATS, in one sentence naming the setting.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeys } from '@lading/oci';
import { freePort, startNatsServer, startProcess } from '@lading/testkit';
import { readSignaturePolicy } from '../src/signature-policy-file.js';

const runnerMain = resolve(import.meta.dirname, '../src/main.ts');

describe('LADING_SIGNATURE_POLICY', () => {
  let directory: string;
  const policyFile = (name: string, content: string) => writeFile(join(directory, name), content).then(() => join(directory, name));

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lading-signature-policy-'));
    await writeFile(join(directory, 'operator.pub'), generateSigningKeys('policy-file-test').publicKey);
    await writeFile(join(directory, 'operator.key'), generateSigningKeys('policy-file-test').privateKey);
  });

  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('reads each rule with its keys, named relative to the policy file', async () => {
    const file = await policyFile('good.json', JSON.stringify([{ repositories: '127.0.0.1:5000/acme/', keys: ['operator.pub'] }]));
    const [rule, ...rest] = await readSignaturePolicy(file);
    expect(rest).toEqual([]);
    expect(rule.repositories).toBe('127.0.0.1:5000/acme/');
    expect(rule.keyFiles).toEqual([join(directory, 'operator.pub')]);
    expect(rule.keys.map((key) => key.asymmetricKeyType)).toEqual(['ec']);
  });

  it('is no rule at all when unset', async () => {
    expect(await readSignaturePolicy(undefined)).toEqual([]);
  });

  it.each([
    ['not JSON', 'repositories: everything', 'is not JSON'],
    ['not a list', JSON.stringify({ repositories: '127.0.0.1:5000/acme', keys: ['operator.pub'] }), 'is not a JSON list'],
    ['a rule without keys', JSON.stringify([{ repositories: '127.0.0.1:5000/acme', keys: [] }]), 'rule 1 is not'],
    ['a rule with an unknown field', JSON.stringify([{ repositories: '127.0.0.1:5000/acme', keys: ['operator.pub'], key: 'x' }]), 'rule 1 is not'],
    ['a repository without a registry', JSON.stringify([{ repositories: 'acme', keys: ['operator.pub'] }]), 'rule 1 is not'],
    ['a missing key file', JSON.stringify([{ repositories: '127.0.0.1:5000/acme', keys: ['absent.pub'] }]), 'cannot read the public key'],
    ['a private key where a public key belongs', JSON.stringify([{ repositories: '127.0.0.1:5000/acme', keys: ['operator.key'] }]), 'operator.key'],
  ])('refuses %s in one sentence', async (name, content, words) => {
    const file = await policyFile(`${name.replaceAll(' ', '-')}.json`, content);
    const refusal = await readSignaturePolicy(file).then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    );
    expect(refusal).toContain('LADING_SIGNATURE_POLICY: ');
    expect(refusal).toContain(words);
    expect(refusal?.split('\n')).toHaveLength(1);
  });

  it('stops the runner at start, in one sentence, when the file is bad', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'lading-signature-policy-state-'));
    const nats = await startNatsServer();
    const runner = startProcess(process.execPath, ['--import', 'tsx', runnerMain], {
      ...process.env,
      LADING_NATS_URL: nats.url,
      LADING_HTTP_PORT: String(await freePort()),
      LADING_STATE_DIR: stateDir,
      LADING_SIGNATURE_POLICY: join(directory, 'absent.json'),
    });
    try {
      const code = await new Promise((resolveExit) => runner.child.once('exit', resolveExit));
      expect(code).toBe(1);
      expect(runner.output()).toContain(`"message":"cannot start","error":"LADING_SIGNATURE_POLICY: cannot read the signature policy ${join(directory, 'absent.json')}."`);
    } finally {
      await runner.stop();
      await nats.stop();
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
