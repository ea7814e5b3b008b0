import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { buckets, endpoints, sealingContexts, streams, type LeaseAuditEntry, type RunAdmission } from '@lading/contracts';
import { generateSealingKeyPair, namespacedSecretName, seal } from '@lading/secrets';
import { callEndpoint } from '@lading/service-kit';
import { startBrokerFixture, type BrokerFixture } from './broker-fixture.js';

/**
 * Namespaces are a boundary: a principal sees and uses only its own namespaces' secrets, sets,
 * installations, runs, logs and outputs, whatever it types into a request. The administrator
 * sees every namespace. Each refusal is one sentence and changes nothing.
 */
describe('namespaces as a boundary between principals', () => {
  let fixture: BrokerFixture;
  let admin: NatsConnection;
  let alice: NatsConnection;
  let publicKey: string;
  const refused = { code: 'forbidden', message: expect.stringMatching(/^the principal alice may not use the namespace "(team-b|)"$/) };

  const sealFor = (namespace: string, name: string, value: string) =>
    seal(Buffer.from(value), publicKey, sealingContexts.secretValue(namespacedSecretName(namespace, name)));

  beforeAll(async () => {
    fixture = await startBrokerFixture({ principals: { alice: ['team-a'] } });
    await fixture.startBroker();
    await fixture.startRunner();
    admin = await fixture.connect('admin');
    alice = await fixture.connect('alice');
    publicKey = (await callEndpoint(alice, endpoints.brokerPublicKey, {})).publicKey;
    await callEndpoint(admin, endpoints.secretsSet, { name: 'shared', namespace: 'team-b', sealed: sealFor('team-b', 'shared', 'b-value') });
    await callEndpoint(admin, endpoints.credentialsApply, {
      document: { schemaVersion: '1.0.1', name: 'b-creds', namespace: 'team-b', credentials: [{ name: 'token', source: { secret: 'shared' } }] },
    });
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it('keeps a principal’s secrets in its namespace, and the administrator sees them there', async () => {
    await callEndpoint(alice, endpoints.secretsSet, { name: 'token', namespace: 'team-a', sealed: sealFor('team-a', 'token', 'a-value') });
    expect((await callEndpoint(alice, endpoints.secretsList, { namespace: 'team-a' })).names).toEqual(['token']);
    expect((await callEndpoint(admin, endpoints.secretsList, { namespace: 'team-a' })).names).toEqual(['token']);
    expect((await callEndpoint(admin, endpoints.secretsList, { namespace: '' })).names).not.toContain('token');
  });

  it('refuses another namespace’s secrets to a principal: set, list and delete', async () => {
    await expect(callEndpoint(alice, endpoints.secretsList, { namespace: 'team-b' })).rejects.toMatchObject(refused);
    await expect(
      callEndpoint(alice, endpoints.secretsSet, { name: 'shared', namespace: 'team-b', sealed: sealFor('team-b', 'shared', 'forged') }),
    ).rejects.toMatchObject(refused);
    await expect(callEndpoint(alice, endpoints.secretsDelete, { name: 'shared', namespace: 'team-b' })).rejects.toMatchObject(refused);
    await expect(callEndpoint(alice, endpoints.secretsList, {})).rejects.toMatchObject(refused);
    expect((await callEndpoint(admin, endpoints.secretsList, { namespace: 'team-b' })).names).toEqual(['shared']);
  });

  it('refuses everyone, the administrator included, the broker’s own secret names: nothing is stored or deleted', async () => {
    const runOutput = 'run.01JRUN.output.token';
    await callEndpoint(admin, endpoints.secretsSet, { name: 'plain', namespace: '', sealed: sealFor('', 'plain', 'kept') });
    for (const name of [runOutput, 'set.credentials._.b-creds.token', 'installation._.app']) {
      const reserved = { code: 'invalid_request', message: expect.stringMatching(/^the secret name ".*" is reserved: names starting with "(run|set|installation)\." are kept by Lading itself; choose another name$/) };
      await expect(callEndpoint(admin, endpoints.secretsSet, { name, namespace: '', sealed: sealFor('', name, 'forged') })).rejects.toMatchObject(reserved);
      await expect(callEndpoint(admin, endpoints.secretsDelete, { name, namespace: '' })).rejects.toMatchObject(reserved);
    }
    // Nothing was written under the reserved names: the store's stream holds no message for them.
    const jsm = await jetstreamManager(await fixture.connect('broker'));
    for (const name of [runOutput, 'installation._.app']) {
      await expect(jsm.streams.getMessage(`KV_${buckets.secrets}`, { last_by_subj: `$KV.${buckets.secrets}.${name}` })).resolves.toBeNull();
    }
    expect((await callEndpoint(admin, endpoints.secretsList, { namespace: '' })).names).toContain('plain');
  });

  it('refuses a box sealed for another namespace’s name, storing nothing', async () => {
    await expect(
      callEndpoint(alice, endpoints.secretsSet, { name: 'token2', namespace: 'team-a', sealed: sealFor('team-b', 'token2', 'lifted') }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    expect((await callEndpoint(alice, endpoints.secretsList, { namespace: 'team-a' })).names).not.toContain('token2');
  });

  it('shows a principal only its namespaces’ sets and refuses the others', async () => {
    const listed = await callEndpoint(alice, endpoints.credentialsList, {});
    expect(listed.items.map((item) => item.namespace).filter((namespace) => namespace !== 'team-a')).toEqual([]);
    await expect(callEndpoint(alice, endpoints.credentialsList, { namespace: 'team-b' })).rejects.toMatchObject(refused);
    await expect(callEndpoint(alice, endpoints.credentialsShow, { name: 'b-creds', namespace: 'team-b' })).rejects.toMatchObject(refused);
    await expect(callEndpoint(alice, endpoints.credentialsDelete, { name: 'b-creds', namespace: 'team-b' })).rejects.toMatchObject(refused);
    await expect(
      callEndpoint(alice, endpoints.credentialsApply, {
        document: { schemaVersion: '1.0.1', name: 'b-creds', namespace: 'team-b', credentials: [{ name: 'token', source: { secret: 'mine' } }] },
      }),
    ).rejects.toMatchObject(refused);
    await expect(
      callEndpoint(alice, endpoints.parametersApply, { document: { schemaVersion: '1.0.1', name: 'p', parameters: [{ name: 'x', source: { value: 'y' } }] } }),
    ).rejects.toMatchObject(refused);
    const shown = await callEndpoint(admin, endpoints.credentialsShow, { name: 'b-creds', namespace: 'team-b' });
    expect(shown.document).toMatchObject({ credentials: [{ name: 'token', source: { secret: 'shared' } }] });
    await callEndpoint(alice, endpoints.credentialsApply, {
      document: { schemaVersion: '1.0.1', name: 'a-creds', namespace: 'team-a', credentials: [{ name: 'token', source: { secret: 'token' } }] },
    });
    expect((await callEndpoint(alice, endpoints.credentialsList, { namespace: 'team-a' })).items.map((item) => item.name)).toEqual(['a-creds']);
  });

  it('refuses another namespace’s installations, runs, logs and outputs to a principal', async () => {
    const key = { name: 'app', namespace: 'team-b' };
    for (const endpoint of [endpoints.installationsShow, endpoints.installationsRuns, endpoints.installationsOutputs, endpoints.installationsLogs]) {
      await expect(callEndpoint(alice, endpoint as typeof endpoints.installationsShow, key)).rejects.toMatchObject(refused);
    }
    await expect(callEndpoint(alice, endpoints.installationsList, { namespace: 'team-b' })).rejects.toMatchObject(refused);
    expect((await callEndpoint(alice, endpoints.installationsList, {})).items.filter((item) => item.namespace !== 'team-a')).toEqual([]);
    const keys = generateSealingKeyPair();
    await expect(
      callEndpoint(alice, endpoints.outputsShow, { installation: 'app', namespace: 'team-b', output: 'token', publicKey: keys.publicKey }),
    ).rejects.toMatchObject(refused);
    await expect(callEndpoint(admin, endpoints.installationsShow, key)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('shows a principal the lease decisions of its namespaces’ runs only, whatever run ids it asks for', async () => {
    // What the broker itself writes when it admits runs and decides their leases.
    const broker = await fixture.connect('broker');
    const js = jetstream(broker);
    const at = new Date().toISOString();
    const admitted = (runId: string, namespace: string): RunAdmission => ({
      runId,
      installation: 'app',
      namespace,
      action: 'install',
      bundleReference: `127.0.0.1:1/app@sha256:${'0'.repeat(64)}`,
      credentialSets: [],
      parameterSets: [],
      wantedCredentials: [],
      wantedParameters: [],
      admittedAt: at,
    });
    await js.publish(`$KV.${buckets.admissions}.audit-a`, JSON.stringify(admitted('audit-a', 'team-a')));
    await js.publish(`$KV.${buckets.admissions}.audit-b`, JSON.stringify(admitted('audit-b', 'team-b')));
    const runIds = ['audit-a', 'audit-b', 'audit-never-admitted'];
    for (const runId of runIds) {
      const entry: LeaseAuditEntry = { at, runId, runnerId: 'runner-1', installation: 'app', granted: true, names: ['token'] };
      await js.publish(streams.leaseAudit.subjects[0], JSON.stringify(entry));
    }

    const seenByAlice = await callEndpoint(alice, endpoints.leaseAudit, { runIds });
    expect(seenByAlice.entries.map((entry) => entry.runId)).toEqual(['audit-a']);
    expect((await callEndpoint(alice, endpoints.leaseAudit, { runIds: ['audit-b'] })).entries).toEqual([]);
    const seenByAdmin = await callEndpoint(admin, endpoints.leaseAudit, { runIds });
    expect(seenByAdmin.entries.map((entry) => entry.runId)).toEqual(runIds);
  });
});
