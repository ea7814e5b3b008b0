/**
 * A parameter with a CNAB parameter source takes the installation's last recorded output of
 * that name when it is not given: the broker alone reads it (a plain one from the records, a
 * sensitive one from the secret store), it reaches the lease only, and it is never copied into
 * what the installation remembers. On a real nats-server.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RunStatus } from '@lading/contracts/internal';
import { PARAMETER_SOURCES_EXTENSION, validateBundle } from '@lading/cnab';
import { installationValuesSecretName, runScopedSecretName } from '@lading/secrets';
import { admitRun } from '../src/index.js';
import { bundleReference, runPathSuiteReading, runThrough, submitRequest } from './run-path-fixture.js';

const canary = `sourced-${randomBytes(8).toString('hex')}`;
const alice = { principal: 'alice', namespaces: ['team-a'], admin: false };
const bob = { principal: 'bob', namespaces: ['team-b'], admin: false };
const digest = `sha256:${'1'.repeat(64)}`;

// As the builder writes a porter.yaml whose `name` is also an output, and whose `token` comes from a sensitive output.
const sourcedBundle = validateBundle({
  schemaVersion: '1.2.0',
  name: 'sourced',
  version: '0.1.0',
  invocationImages: [{ imageType: 'docker', image: `127.0.0.1:5000/bundles/sourced@${digest}`, contentDigest: digest }],
  parameters: {
    name: { definition: 'name', destination: { env: 'NAME' } },
    token: { definition: 'token', required: true, destination: { env: 'TOKEN' }, applyTo: ['uninstall', 'upgrade'] },
  },
  outputs: { name: { definition: 'name', path: '/cnab/app/outputs/name' }, token: { definition: 'token-output', path: '/cnab/app/outputs/token' } },
  definitions: { name: { type: 'string', default: 'porter' }, token: { type: 'string' }, 'token-output': { type: 'string', writeOnly: true } },
  custom: {
    [PARAMETER_SOURCES_EXTENSION]: {
      name: { priority: ['output'], sources: { output: { name: 'name' } } },
      token: { priority: ['output'], sources: { output: { name: 'token' } } },
    },
  },
  requiredExtensions: [PARAMETER_SOURCES_EXTENSION],
});

describe('parameters from the outputs of earlier runs', () => {
  const suite = runPathSuiteReading(() => sourcedBundle);

  /** What the runner records when a run leaves outputs: a plain one in the records, a sensitive one in the store. */
  async function recordOutputs(namespace: string, installation: string, runId: string, outputs: { name?: string; token?: string }) {
    if (outputs.name !== undefined) await suite.path.state.records.putOutput(namespace, installation, { name: 'name', sensitive: false, value: outputs.name, runId });
    if (outputs.token !== undefined) {
      await suite.path.state.store.set(runScopedSecretName(runId, 'output', 'token'), Buffer.from(outputs.token));
      await suite.path.state.records.putOutput(namespace, installation, { name: 'token', sensitive: true, runId });
    }
  }

  async function run(installation: string, action: string, parameters: Record<string, string>, outputs: { name?: string; token?: string } = {}, status: RunStatus = 'succeeded') {
    const namespace = 'team-a';
    const request = submitRequest(suite.path, { action, installation, namespace, credentialSets: [], bundleReference }, { parameters });
    return runThrough(suite.path, suite.runner, request, alice, { status, beforeFinish: () => recordOutputs(namespace, installation, request.runId, outputs) });
  }

  it('hands the last outputs to upgrade: the plain one over the remembered value, the sensitive one in the lease alone', async () => {
    await run('shop', 'install', { name: 'given' }, { name: 'from-output', token: canary });
    const { admission, lease, queued } = await run('shop', 'upgrade', {});
    expect(admission.outputSourcedParameters).toEqual({ name: 'name', token: 'token' });
    expect(lease.parameters).toEqual({ name: 'from-output', token: canary });
    // Not in the run request, so not in the claim either; the runner learns them from the lease.
    expect(queued?.parameters).toEqual({});
    expect(JSON.stringify([admission, queued])).not.toContain(canary);
  });

  it('lets a value given now win over the output', async () => {
    await run('cart', 'install', {}, { name: 'from-output', token: canary });
    const { lease } = await run('cart', 'upgrade', { name: 'override', token: 'given-token' });
    expect(lease.parameters).toEqual({ name: 'override', token: 'given-token' });
  });

  it('requires the value when no run recorded the output yet', async () => {
    await run('till', 'install', {}, { name: 'only-name' });
    const request = submitRequest(suite.path, { action: 'upgrade', installation: 'till', namespace: 'team-a', credentialSets: [] }, { parameters: {} });
    await expect(admitRun(request, alice, suite.path.admission)).rejects.toMatchObject({ code: 'unresolvable', message: 'parameter token is required: pass --param token=VALUE or a parameter set' });
  });

  it('never copies an output-sourced value into what the installation remembers', async () => {
    await run('ledger', 'install', {}, { token: canary });
    await run('ledger', 'upgrade', {});
    const remembered = await suite.path.state.store.get(installationValuesSecretName('team-a', 'ledger'));
    expect(remembered?.toString('utf8') ?? '').not.toContain(canary);
  });

  it("gives another namespace's installation of the same name none of the outputs", async () => {
    await run('stock', 'install', {}, { token: canary });
    const sameName = submitRequest(suite.path, { action: 'upgrade', installation: 'stock', namespace: 'team-b', credentialSets: [] }, { parameters: {} });
    await expect(admitRun(sameName, bob, suite.path.admission)).rejects.toMatchObject({ code: 'unresolvable', message: expect.stringContaining('parameter token is required') });
  });
});
