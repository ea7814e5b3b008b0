import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { buckets, endpoints, sealingContexts, streams } from '@lading/contracts';
import { startingRunState } from '@lading/testkit';
import { generateSealingKeyPair, open, seal } from '@lading/secrets';
import { callEndpoint, openBucket } from '@lading/service-kit';
import { RunRecords } from '@lading/store';
import { runCli } from '../../cli/test/cli-process.js';
import { filesContaining, leakForms } from '../../cli/test/search-files.js';
import { startBrokerFixture, type BrokerFixture, type ServiceProcess } from './broker-fixture.js';
import { registerTestRunner, submitRun } from './run-submission.js';

const secretCanary = `canary-secret-${randomBytes(12).toString('hex')}`;
const outputCanary = `canary-output-${randomBytes(12).toString('hex')}`;
const stdinCanary = `canary-stdin-${randomBytes(12).toString('hex')}`;


/**
 * The NATS server's own refusal to let this user publish on `subject` (service-kit may also
 * word it as its `forbidden` answer): proof that the request never reached the broker.
 */
function serverRefusal(subject: string): RegExp {
  const quoted = subject.replaceAll('.', '\\.');
  return new RegExp(`Permissions Violation for Publish to "${quoted}"|this NATS user may not call ${quoted}`);
}

const runId = () => randomBytes(10).toString('hex');

// Steps in order: the last stops the broker and NATS and searches everything the steps before it wrote.
describe('secret-broker: just-in-time secrets that touch nothing', { shuffle: false }, () => {
  let fixture: BrokerFixture;
  let broker: ServiceProcess;
  let runner: ServiceProcess;
  let cli: NatsConnection;
  let runnerNc: NatsConnection;
  let records: RunRecords;
  let brokerPublicKey: string;

  beforeAll(async () => {
    fixture = await startBrokerFixture();
    broker = await fixture.startBroker();
    runner = await fixture.startRunner();
    cli = await fixture.connect('admin');
    runnerNc = await fixture.connect('runner');
    records = new RunRecords({
      installations: await openBucket(runnerNc, buckets.installations),
      runs: await openBucket(runnerNc, buckets.runs),
      outputs: await openBucket(runnerNc, buckets.outputs),
      logs: await openBucket(runnerNc, buckets.logs),
    });
    brokerPublicKey = (await callEndpoint(cli, endpoints.brokerPublicKey, {})).publicKey;
  });

  afterAll(async () => {
    await fixture?.close();
  });

  describe('secrets', () => {
    it('stores a value sealed to the broker key and lists names only', async () => {
      const sealed = seal(Buffer.from(secretCanary), brokerPublicKey, sealingContexts.secretValue('demo-token'));
      expect(await callEndpoint(cli, endpoints.secretsSet, { name: 'demo-token', sealed })).toEqual({ name: 'demo-token' });
      const listed = await callEndpoint(cli, endpoints.secretsList, {});
      expect(listed.names).toContain('demo-token');
      expect(JSON.stringify(listed)).not.toContain(secretCanary);
    });

    it('stores a value from the CLI standard input', async () => {
      const result = await runCli(fixture.home, ['secrets', 'set', 'from-stdin', '--from-stdin'], stdinCanary);
      expect(result).toMatchObject({ code: 0, stdout: 'stored secret from-stdin\n' });
      expect((await callEndpoint(cli, endpoints.secretsList, {})).names).toContain('from-stdin');
    });

    it('refuses a box sealed for another name, storing nothing', async () => {
      const sealed = seal(Buffer.from('x'), brokerPublicKey, sealingContexts.secretValue('other-name'));
      await expect(callEndpoint(cli, endpoints.secretsSet, { name: 'lifted', sealed })).rejects.toMatchObject({ code: 'invalid_request' });
      expect((await callEndpoint(cli, endpoints.secretsList, {})).names).not.toContain('lifted');
    });

    it('deletes a secret, and says so when there is none', async () => {
      const sealed = seal(Buffer.from('short-lived'), brokerPublicKey, sealingContexts.secretValue('doomed'));
      await callEndpoint(cli, endpoints.secretsSet, { name: 'doomed', sealed });
      await callEndpoint(cli, endpoints.secretsDelete, { name: 'doomed' });
      expect((await callEndpoint(cli, endpoints.secretsList, {})).names).not.toContain('doomed');
      await expect(callEndpoint(cli, endpoints.secretsDelete, { name: 'doomed' })).rejects.toMatchObject({ code: 'not_found' });
    });
  });

  describe('credential and parameter sets', () => {
    it('applies CNAB sets, lists them by namespace with labels, shows and deletes them', async () => {
      await callEndpoint(cli, endpoints.credentialsApply, {
        document: { name: 'demo-creds', labels: { team: 'a' }, credentials: [{ name: 'api-token', source: { secret: 'demo-token' } }] },
      });
      await callEndpoint(cli, endpoints.credentialsApply, {
        document: { name: 'team-b-creds', namespace: 'team-b', credentials: [{ name: 'api-token', source: { env: 'HOME' } }] },
      });
      const teamB = await callEndpoint(cli, endpoints.credentialsList, { namespace: 'team-b' });
      expect(teamB.items.map((item) => item.name)).toEqual(['team-b-creds']);
      const all = await callEndpoint(cli, endpoints.credentialsList, {});
      expect(all.items.find((item) => item.name === 'demo-creds')).toMatchObject({ labels: { team: 'a' }, entries: ['api-token'] });

      const shown = await callEndpoint(cli, endpoints.credentialsShow, { name: 'demo-creds', namespace: '' });
      expect(shown.document).toMatchObject({ name: 'demo-creds', schemaVersion: '1.0.1' });
      await callEndpoint(cli, endpoints.credentialsDelete, { name: 'team-b-creds', namespace: 'team-b' });
      await expect(callEndpoint(cli, endpoints.credentialsShow, { name: 'team-b-creds', namespace: 'team-b' })).rejects.toMatchObject({
        code: 'not_found',
      });

      await callEndpoint(cli, endpoints.parametersApply, { document: { name: 'demo-params', parameters: [{ name: 'region', source: { value: 'eu' } }] } });
      expect((await callEndpoint(cli, endpoints.parametersList, {})).items.map((item) => item.name)).toEqual(['demo-params']);
      await callEndpoint(cli, endpoints.parametersDelete, { name: 'demo-params', namespace: '' });
      expect((await callEndpoint(cli, endpoints.parametersList, {})).items).toEqual([]);
    });

    it('refuses a set that breaks the CNAB schema, storing nothing', async () => {
      const noSource = { name: 'broken', credentials: [{ name: 'api-token' }] };
      await expect(callEndpoint(cli, endpoints.credentialsApply, { document: noSource })).rejects.toMatchObject({ code: 'invalid_request' });
      const badLabel = { name: 'broken', labels: { team: 7 }, credentials: [] };
      await expect(callEndpoint(cli, endpoints.credentialsApply, { document: badLabel })).rejects.toMatchObject({ code: 'invalid_request' });
      const badName = { name: '../escape', parameters: [] };
      await expect(callEndpoint(cli, endpoints.parametersApply, { document: badName })).rejects.toMatchObject({ code: 'invalid_request' });
      const prototypeNamed = { name: 'broken', parameters: [{ name: '__proto__', source: { value: 'not-kept' } }] };
      await expect(callEndpoint(cli, endpoints.parametersApply, { document: prototypeNamed })).rejects.toMatchObject({
        code: 'invalid_request',
        message: expect.stringContaining('parameters[0].name is reserved: JavaScript objects take __proto__ for their prototype'),
      });
      expect((await callEndpoint(cli, endpoints.credentialsList, {})).items.map((item) => item.name)).toEqual(['demo-creds']);
      expect((await callEndpoint(cli, endpoints.parametersList, {})).items).toEqual([]);
    });

    it('refuses a sealed value lifted from another set entry, storing neither the set nor the value', async () => {
      const sealedValue = seal(Buffer.from(secretCanary), brokerPublicKey, sealingContexts.setValue('credentials', '', 'victim-creds', 'api-token'));
      const lifted = { name: 'thief-creds', credentials: [{ name: 'api-token', source: { sealedValue } }] };
      await expect(callEndpoint(cli, endpoints.credentialsApply, { document: lifted })).rejects.toMatchObject({ code: 'invalid_request' });
      await expect(callEndpoint(cli, endpoints.credentialsShow, { name: 'thief-creds', namespace: '' })).rejects.toMatchObject({ code: 'not_found' });
      expect((await callEndpoint(cli, endpoints.secretsList, {})).names.filter((name) => name.includes('thief-creds'))).toEqual([]);
    });
  });

  describe('leases', () => {
    const forged = runId();
    const fromCli = runId();

    beforeAll(async () => {
      const now = new Date().toISOString();
      await records.putInstallation({
        name: 'demo',
        namespace: '',
        bundleReference: `127.0.0.1:5000/demo@sha256:${'0'.repeat(64)}`,
        bundleName: 'demo',
        bundleVersion: '0.1.0',
        status: 'installed',
        lastAction: 'install',
        lastRunId: forged,
        created: now,
        modified: now,
      });
    });

    it("refuses the cli user's lease request and every runner-only run subject at the NATS server, before the broker sees it", async () => {
      await records.runs.put(fromCli, startingRunState(fromCli));
      const signature = Buffer.alloc(64).toString('base64');
      const attempt = callEndpoint(cli, endpoints.lease, { runId: fromCli, runnerId: 'runner-1', publicKey: generateSealingKeyPair().publicKey, signature });
      await expect(attempt).rejects.toThrow(serverRefusal(endpoints.lease.subject));
      await expect(callEndpoint(cli, endpoints.runnersRegister, { runnerId: 'runner-1', publicKey: 'AAAA' })).rejects.toThrow(serverRefusal(endpoints.runnersRegister.subject));
      const statement = { runId: fromCli, runnerId: 'runner-1', signature };
      await expect(callEndpoint(cli, endpoints.runsClaim, statement)).rejects.toThrow(serverRefusal(endpoints.runsClaim.subject));
      await expect(callEndpoint(cli, endpoints.runsHeartbeat, statement)).rejects.toThrow(serverRefusal(endpoints.runsHeartbeat.subject));
      await expect(callEndpoint(cli, endpoints.runsFinish, statement)).rejects.toThrow(serverRefusal(endpoints.runsFinish.subject));
      expect((await callEndpoint(cli, endpoints.leaseAudit, { runIds: [fromCli] })).entries).toEqual([]);
    });

    it('gives a forged run record and a runner credential nothing: the broker decides from its own admissions', async () => {
      await records.runs.put(forged, startingRunState(forged, { runnerId: 'runner-forger' }));
      const forger = await registerTestRunner(runnerNc, 'runner-forger');
      await expect(forger.claim(forged)).rejects.toMatchObject({ code: 'not_found' });
      await expect(forger.lease(forged)).rejects.toMatchObject({ code: 'not_found', message: `run ${forged} was not admitted by the broker` });
    });

    it('refuses a run with an unknown set or a namespace-crossing secret in one sentence, queuing nothing', async () => {
      const bundleReference = `127.0.0.1:1/bundles/demo@sha256:${'0'.repeat(64)}`;
      await expect(submitRun(cli, brokerPublicKey, { installation: 'demo', bundleReference, credentialSets: [{ name: 'nope', namespace: '' }] })).rejects.toMatchObject({
        code: 'not_found',
        message: 'credential set "nope" does not exist: apply it with `lading credentials apply`',
      });
      await callEndpoint(cli, endpoints.credentialsApply, { document: { name: 'crossing', credentials: [{ name: 'api-token', source: { secret: 'team-b/token' } }] } });
      await expect(submitRun(cli, brokerPublicKey, { installation: 'demo', bundleReference, credentialSets: [{ name: 'crossing', namespace: '' }] })).rejects.toMatchObject({
        code: 'forbidden',
        message: 'credential set "crossing" entry api-token names a secret outside namespace ""',
      });
      const submit = await runCli(fixture.home, ['install', 'demo', '--reference', 'not a reference']);
      expect(submit.code).not.toBe(0);
      expect(submit.stderr.trim().split('\n')).toHaveLength(1);
      const queue = await (await jetstreamManager(runnerNc)).streams.info(streams.runs.name);
      expect(queue.state.messages).toBe(0);
    });

    it('shows each run with its lease decision in `lading installations runs`, names only', async () => {
      const { entries } = await callEndpoint(cli, endpoints.leaseAudit, { runIds: [forged, fromCli] });
      expect(entries.map((entry) => [entry.runId, entry.granted])).toEqual([[forged, false]]);

      const table = await runCli(fixture.home, ['installations', 'runs', 'demo']);
      expect(table.code).toBe(0);
      const line = (id: string) => table.stdout.split('\n').find((text) => text.startsWith(id)) ?? '';
      expect(line(forged)).toMatch(/refused \(run \w+ was not admitted by the broker\)$/);
      expect(line(fromCli)).toMatch(/none requested$/);

      const json = await runCli(fixture.home, ['installations', 'runs', 'demo', '--output', 'json']);
      const runs = JSON.parse(json.stdout) as Array<{ runId: string; lease: { granted: boolean; names: string[]; summary: string } }>;
      expect(runs.find((run) => run.runId === forged)?.lease).toMatchObject({ granted: false, summary: expect.stringMatching(/^refused \(/) });
      expect(table.stdout + json.stdout).not.toContain(secretCanary);
    });
  });

  describe('sensitive outputs', () => {
    const outputRun = runId();

    beforeAll(async () => {
      const sealed = seal(Buffer.from(outputCanary), brokerPublicKey, sealingContexts.output(outputRun, 'token'));
      await callEndpoint(runnerNc, endpoints.outputsStore, { runId: outputRun, installation: 'demo', output: 'token', sealed });
      await records.putOutput('', 'demo', { name: 'token', sensitive: true, runId: outputRun });
      await records.putOutput('', 'demo', { name: 'region', sensitive: false, value: 'eu-west', runId: outputRun });
    });

    it('refuses the cli user storing an output: only the runner may', async () => {
      const sealed = seal(Buffer.from('forged'), brokerPublicKey, sealingContexts.output(outputRun, 'token'));
      const attempt = callEndpoint(cli, endpoints.outputsStore, { runId: outputRun, installation: 'demo', output: 'token', sealed });
      await expect(attempt).rejects.toThrow(serverRefusal(endpoints.outputsStore.subject));
    });

    it('hands a sensitive output out just in time, sealed to the asking key and bound to the output', async () => {
      const keys = generateSealingKeyPair();
      const reply = await callEndpoint(cli, endpoints.outputsShow, { installation: 'demo', output: 'token', publicKey: keys.publicKey });
      expect(reply).toMatchObject({ runId: outputRun, sensitive: true });
      expect(open(reply.sealed, keys.privateKey, sealingContexts.outputShow('demo', 'token')).toString()).toBe(outputCanary);
      expect(() => open(reply.sealed, keys.privateKey, sealingContexts.outputShow('demo', 'region'))).toThrow();
      expect(() => open(reply.sealed, generateSealingKeyPair().privateKey, sealingContexts.outputShow('demo', 'token'))).toThrow();
    });

    it('refuses an unknown output and a malformed key with one clear error', async () => {
      const publicKey = generateSealingKeyPair().publicKey;
      await expect(callEndpoint(cli, endpoints.outputsShow, { installation: 'demo', output: 'nope', publicKey })).rejects.toMatchObject({
        code: 'not_found',
        message: 'installation demo has no output named nope: see `lading installations outputs demo`',
      });
      await expect(
        callEndpoint(cli, endpoints.outputsShow, { installation: 'demo', output: 'token', publicKey: Buffer.alloc(31).toString('base64') }),
      ).rejects.toMatchObject({ code: 'invalid_request', message: 'publicKey must be a raw 32-byte X25519 public key in base64' });
    });

    it('prints the value with `lading installations outputs show` and keeps masking it in the listing', async () => {
      const shown = await runCli(fixture.home, ['installations', 'outputs', 'show', 'demo', 'token']);
      expect(shown).toMatchObject({ code: 0, stdout: outputCanary });
      const listing = await runCli(fixture.home, ['installations', 'outputs', 'demo', '--output', 'json']);
      expect(listing.code).toBe(0);
      expect(JSON.parse(listing.stdout)).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'token', value: '*******' }), expect.objectContaining({ name: 'region', value: 'eu-west' })]),
      );
      expect(listing.stdout).not.toContain(outputCanary);
      const missing = await runCli(fixture.home, ['installations', 'outputs', 'show', 'demo', 'nope', '-n', 'team-b']);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toMatch(/installation demo has no output named nope/);
      expect(missing.stderr).not.toMatch(/\n\s+at /);
    });
  });

  it('keeps its key files private', async () => {
    expect((await stat(fixture.brokerKeyFile)).mode & 0o777).toBe(0o600);
    expect((await stat(fixture.storeKeyFile)).mode & 0o777).toBe(0o600);
  });

  it('leaves no value in the JetStream store, the broker log or the spans', async () => {
    await broker.stop();
    await runner.stop();
    await fixture.nats.process.stop();
    const forms = [secretCanary, outputCanary, stdinCanary].flatMap(leakForms);
    expect(await filesContaining(fixture.nats.storeDir, forms)).toEqual([]);
    expect(await filesContaining(fixture.dir, forms)).toEqual([]);
    const log = broker.process.output() + runner.process.output();
    for (const form of forms) expect(log).not.toContain(form);
    const spans = await readFile(broker.spansFile, 'utf8');
    expect(spans).toContain('lading.broker.lease');
    expect(spans).toContain('lading.broker.runs.submit');
    for (const form of forms) expect(spans).not.toContain(form);
    // The searched store really holds the broker's records: the ciphertext bucket is there.
    expect(await filesContaining(fixture.nats.storeDir, ['demo-token'])).not.toEqual([]);
  });
});
