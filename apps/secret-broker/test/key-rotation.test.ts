import { randomBytes } from 'node:crypto';
import { link, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buckets, endpoints, sealingContexts, streams } from '@lading/contracts';
import { RegistryClient } from '@lading/oci';
import { AtRestCipher, createKeyFile, generateSealingKeyPair, open, seal, type AtRestRecord } from '@lading/secrets/internal';
import { callEndpoint, ensureStream, openBucket } from '@lading/service-kit';
import { RunRecords } from '@lading/store';
import { runCli } from '../../cli/test/cli-process.js';
import { startBrokerFixture, type BrokerFixture, type ServiceProcess } from './broker-fixture.js';
import { publishTestBundle, tokenBundle } from './published-bundle.js';
import { registerTestRunner, submitRun } from './run-submission.js';

const canaries: Record<string, string> = {
  alpha: `canary-alpha-${randomBytes(12).toString('hex')}`,
  beta: `canary-beta-${randomBytes(12).toString('hex')}`,
};
const outputCanary = `canary-output-${randomBytes(12).toString('hex')}`;
const outputRun = randomBytes(10).toString('hex');
const outputSecret = `run.${outputRun}.output.token`;
const expected = (name: string) => (name === outputSecret ? outputCanary : canaries[name]);

// One store's key history in steps (rotate, rotate concurrently, restart, resume): the steps keep their order.
describe('secret-broker: at-rest key rotation of the built-in store', { shuffle: false }, () => {
  let fixture: BrokerFixture;
  let broker: ServiceProcess;
  let cli: NatsConnection;
  let runnerNc: NatsConnection;
  let records: RunRecords;
  let rawSecrets: Awaited<ReturnType<typeof openBucket>>;
  let bundleReference: string;
  let brokerPublicKey: string;
  let runner: Awaited<ReturnType<typeof registerTestRunner>>;

  /** Every record of the store bucket exactly as NATS keeps it. */
  async function rawRecords(): Promise<Map<string, AtRestRecord>> {
    const found = new Map<string, AtRestRecord>();
    for await (const name of await rawSecrets.keys()) {
      const entry = await rawSecrets.get(name);
      if (entry?.operation === 'PUT') found.set(name, entry.json<AtRestRecord>());
    }
    return found;
  }

  async function keyFileSiblings(): Promise<string[]> {
    return (await readdir(dirname(fixture.storeKeyFile))).filter((entry) => entry.startsWith(`${basename(fixture.storeKeyFile)}.`));
  }

  async function shownOutput(): Promise<string> {
    const keys = generateSealingKeyPair();
    const reply = await callEndpoint(cli, endpoints.outputsShow, { installation: 'demo', output: 'token', publicKey: keys.publicKey });
    return open(reply.sealed, keys.privateKey, sealingContexts.outputShow('demo', 'token')).toString();
  }

  /** Admits, claims and leases a fresh run whose credential comes from secret `alpha`: the broker must decrypt it. */
  async function leasedAlpha(): Promise<string> {
    const runId = await submitRun(cli, brokerPublicKey, { installation: 'alpha-app', bundleReference, credentialSets: [{ name: 'alpha-creds', namespace: '' }] });
    await runner.claim(runId);
    try {
      return (await runner.lease(runId)).credentials.token;
    } finally {
      await runner.finish(runId);
    }
  }

  async function expectAllUnder(cipher: AtRestCipher): Promise<void> {
    const stored = await rawRecords();
    expect([...stored.keys()].sort()).toEqual(['alpha', 'beta', outputSecret]);
    for (const [name, record] of stored) {
      expect(record.kid).toBe(cipher.keyId);
      expect(cipher.decrypt(name, record).toString()).toBe(expected(name));
    }
  }

  beforeAll(async () => {
    fixture = await startBrokerFixture({ registry: true });
    broker = await fixture.startBroker();
    bundleReference = await publishTestBundle(new RegistryClient({ registry: fixture.registry?.host ?? '' }), 'bundles/alpha', tokenBundle('alpha'));
    cli = await fixture.connect('admin');
    runnerNc = await fixture.connect('runner');
    rawSecrets = await openBucket(await fixture.connect('broker'), buckets.secrets);
    records = new RunRecords({
      installations: await openBucket(runnerNc, buckets.installations),
      runs: await openBucket(runnerNc, buckets.runs),
      outputs: await openBucket(runnerNc, buckets.outputs),
      logs: await openBucket(runnerNc, buckets.logs),
    });
    const { publicKey } = await callEndpoint(cli, endpoints.brokerPublicKey, {});
    brokerPublicKey = publicKey;
    runner = await registerTestRunner(runnerNc);
    // The work queue admitted runs go to, created by its owner as a starting runner does.
    await ensureStream(runnerNc, streams.runs, true);
    for (const [name, value] of Object.entries(canaries)) {
      await callEndpoint(cli, endpoints.secretsSet, { name, sealed: seal(Buffer.from(value), publicKey, sealingContexts.secretValue(name)) });
    }
    await callEndpoint(cli, endpoints.credentialsApply, { document: { name: 'alpha-creds', credentials: [{ name: 'token', source: { secret: 'alpha' } }] } });
    const sealed = seal(Buffer.from(outputCanary), publicKey, sealingContexts.output(outputRun, 'token'));
    await callEndpoint(runnerNc, endpoints.outputsStore, { runId: outputRun, installation: 'demo', output: 'token', sealed });
    await records.putOutput('', 'demo', { name: 'token', sensitive: true, runId: outputRun });
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it('re-encrypts every record under a new key with `lading secrets rotate-key`; the old key no longer opens them', async () => {
    const oldCipher = await AtRestCipher.fromKeyFile(fixture.storeKeyFile);
    await expectAllUnder(oldCipher);

    const result = await runCli(fixture.home, ['secrets', 'rotate-key']);
    expect(result.code).toBe(0);
    const newCipher = await AtRestCipher.fromKeyFile(fixture.storeKeyFile);
    expect(result.stdout).toBe(`rotated the store key: 3 records re-encrypted under key ${newCipher.keyId}\n`);
    expect(newCipher.keyId).not.toBe(oldCipher.keyId);
    expect((await stat(fixture.storeKeyFile)).mode & 0o777).toBe(0o600);
    expect(await keyFileSiblings()).toEqual([]);

    await expectAllUnder(newCipher);
    for (const [name, record] of await rawRecords()) {
      expect(() => oldCipher.decrypt(name, { ...record, kid: oldCipher.keyId })).toThrow(/does not decrypt/);
    }
    expect(await shownOutput()).toBe(outputCanary);
    expect(await leasedAlpha()).toBe(canaries.alpha);
  });

  it('serialises concurrent rotations, ending with every record under the key in the file', async () => {
    const outcomes = await Promise.all([callEndpoint(cli, endpoints.secretsRotateKey, {}), callEndpoint(cli, endpoints.secretsRotateKey, {})]);
    expect(outcomes.map((outcome) => outcome.rewritten)).toEqual([3, 3]);
    expect(outcomes[0].keyId).not.toBe(outcomes[1].keyId);
    const cipher = await AtRestCipher.fromKeyFile(fixture.storeKeyFile);
    expect(outcomes.map((outcome) => outcome.keyId)).toContain(cipher.keyId);
    await expectAllUnder(cipher);
    expect(await keyFileSiblings()).toEqual([]);
  });

  it('still reads every value after the broker process restarts', async () => {
    await broker.stop();
    broker = await fixture.startBroker();
    expect(await shownOutput()).toBe(outputCanary);
    expect(await leasedAlpha()).toBe(canaries.alpha);
    expect((await callEndpoint(cli, endpoints.secretsList, {})).names).toEqual(['alpha', 'beta']);
  });

  it('finishes a rotation interrupted after the key switch when it starts again', async () => {
    await broker.stop();
    const before = await AtRestCipher.fromKeyFile(fixture.storeKeyFile);
    // What a crash right after the switch leaves: the new key in place, the old one beside it,
    // every record still under the old key, and an unused key file of a later attempt.
    await link(fixture.storeKeyFile, `${fixture.storeKeyFile}.previous-${before.keyId}`);
    const next = `${fixture.storeKeyFile}.next-interrupted`;
    await createKeyFile(next);
    await rename(next, fixture.storeKeyFile);
    await createKeyFile(`${fixture.storeKeyFile}.next-unused`);

    broker = await fixture.startBroker();
    const after = await AtRestCipher.fromKeyFile(fixture.storeKeyFile);
    await expectAllUnder(after);
    expect(await keyFileSiblings()).toEqual([]);
    expect(broker.process.output()).toMatch(/finished an interrupted key rotation/);
    expect(await shownOutput()).toBe(outputCanary);
  });

  it('refuses to rotate with one clear sentence when the store is Vault', async () => {
    await broker.stop();
    const tokenFile = join(fixture.dir, 'vault-token');
    await writeFile(tokenFile, 'not-a-real-token', { mode: 0o600 });
    const keyBefore = await readFile(fixture.storeKeyFile, 'utf8');
    broker = await fixture.startBroker({ LADING_SECRET_STORE: 'vault', LADING_VAULT_ADDR: 'http://127.0.0.1:1', LADING_VAULT_TOKEN_FILE: tokenFile });
    await expect(callEndpoint(cli, endpoints.secretsRotateKey, {})).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/^the secret store is HashiCorp Vault, whose keys Vault itself rotates/),
    });
    expect(await readFile(fixture.storeKeyFile, 'utf8')).toBe(keyBefore);
    expect(await keyFileSiblings()).toEqual([]);
  });
});
