/**
 * A parent bundle's steps read the outputs of a required bundle's installation
 * (`<installation>-<alias>`) through parameters sourced from them: the broker alone reads them,
 * in the run's own namespace, a sensitive one from the secret store into the lease only. A
 * principal of one namespace reaches nothing of another's installations this way, and a
 * sensitive output is never handed to a parameter the bundle treats as plain. On a real nats-server.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEPENDENCIES_EXTENSION, DEPENDENCY_OUTPUT_SOURCE, PARAMETER_SOURCES_EXTENSION, validateBundle, type Bundle } from '@lading/cnab';
import { generateSealingKeyPair, installationValuesSecretName, runScopedSecretName } from '@lading/secrets';
import { admitRun, claimRun, grantLease } from '../src/index.js';
import { bundleReference, expectRefusedAdmission, runPathSuiteReading, runThrough, submitRequest } from './run-path-fixture.js';

const canary = `dep-secret-${randomBytes(8).toString('hex')}`;
const alice = { principal: 'alice', namespaces: ['team-a'], admin: false };
const mallory = { principal: 'mallory', namespaces: ['team-b'], admin: false };
const digest = `sha256:${'1'.repeat(64)}`;

/** As the builder writes a parent whose steps read output `user` (plain) and `password` (sensitive) of its dependency `db`. */
function parentBundle(passwordSensitive: boolean): Bundle {
  const wiring = (output: string) => ({ priority: [DEPENDENCY_OUTPUT_SOURCE], sources: { [DEPENDENCY_OUTPUT_SOURCE]: { dependency: 'db', name: output } } });
  return validateBundle({
    schemaVersion: '1.2.0',
    name: 'app',
    version: '0.1.0',
    invocationImages: [{ imageType: 'docker', image: `127.0.0.1:5000/bundles/app@${digest}`, contentDigest: digest }],
    parameters: {
      'porter-db-user-dep-output': { definition: 'user', destination: { env: 'PORTER_DB_USER_DEP_OUTPUT' }, applyTo: ['install', 'upgrade'] },
      'porter-db-password-dep-output': { definition: 'password', destination: { env: 'PORTER_DB_PASSWORD_DEP_OUTPUT' }, applyTo: ['install', 'upgrade'] },
    },
    definitions: { user: { type: 'string' }, password: { type: 'string', ...(passwordSensitive ? { writeOnly: true } : {}) } },
    custom: {
      [PARAMETER_SOURCES_EXTENSION]: { 'porter-db-user-dep-output': wiring('user'), 'porter-db-password-dep-output': wiring('password') },
      [DEPENDENCIES_EXTENSION]: { sequence: ['db'], requires: { db: { bundle: `127.0.0.1:5000/bundles/db@${digest}` } } },
    },
    requiredExtensions: [PARAMETER_SOURCES_EXTENSION, DEPENDENCIES_EXTENSION],
  });
}

describe('parameters from the outputs of a required bundle', () => {
  let bundle = parentBundle(true);
  const suite = runPathSuiteReading(() => bundle);

  /** What the runner records when the dependency's run leaves its outputs. */
  async function recordDependencyOutputs(namespace: string, installation: string, outputs: { user: string; password: string }) {
    const runId = randomBytes(12).toString('hex');
    await suite.path.state.records.putOutput(namespace, installation, { name: 'user', sensitive: false, value: outputs.user, runId });
    await suite.path.state.store.set(runScopedSecretName(runId, 'output', 'password'), Buffer.from(outputs.password));
    await suite.path.state.records.putOutput(namespace, installation, { name: 'password', sensitive: true, runId });
  }

  async function install(installation: string, namespace: string, caller: typeof alice) {
    const request = submitRequest(suite.path, { action: 'install', installation, namespace, credentialSets: [], bundleReference, dependenciesRun: true }, { parameters: {} });
    return runThrough(suite.path, suite.runner, request, caller);
  }

  it('refuses to install a bundle that requires others unless the client says they ran first, and records nothing', async () => {
    const request = submitRequest(suite.path, { action: 'install', installation: 'early', namespace: 'team-a', credentialSets: [], bundleReference }, { parameters: {} });
    await expectRefusedAdmission(suite.path, request, alice, {
      code: 'dependencies_first',
      message: 'the bundle requires db, whose install runs before its own: `lading install` runs them first',
    });
    // Control: the same run, said to come after its dependencies, is admitted, and its record names them.
    const admitted = await admitRun({ ...request, dependenciesRun: true }, alice, suite.path.admission);
    expect(admitted.requiredBundles).toEqual(['db']);
  });

  it('uninstalls a bundle that requires others without waiting for them: the parent goes first', async () => {
    const request = submitRequest(suite.path, { action: 'uninstall', installation: 'late', namespace: 'team-a', credentialSets: [], bundleReference }, { parameters: {} });
    const admitted = await admitRun(request, alice, suite.path.admission);
    expect(admitted.requiredBundles).toEqual(['db']);
  });

  it("hands the dependency installation's outputs to the parent's install: the sensitive one in the lease alone", async () => {
    await recordDependencyOutputs('team-a', 'shop-db', { user: 'shop', password: canary });
    const { admission, lease, queued } = await install('shop', 'team-a', alice);
    expect(admission.dependencyOutputParameters).toEqual({
      'porter-db-user-dep-output': { installation: 'shop-db', output: 'user', sensitive: false },
      'porter-db-password-dep-output': { installation: 'shop-db', output: 'password', sensitive: true },
    });
    expect(lease.parameters).toEqual({ 'porter-db-user-dep-output': 'shop', 'porter-db-password-dep-output': canary });
    expect(JSON.stringify([admission, queued])).not.toContain(canary);
    // Not remembered by the parent either: the dependency's outputs are read afresh each time.
    const remembered = await suite.path.state.store.get(installationValuesSecretName('team-a', 'shop'));
    expect(remembered?.toString('utf8') ?? '').not.toContain(canary);
  });

  it("gives a principal of another namespace none of the outputs of the same-named dependency installation", async () => {
    await recordDependencyOutputs('team-a', 'till-db', { user: 'till', password: canary });
    // mallory installs "till" in her own namespace: the bundle names dependency db, so "till-db" — of team-b, which has none.
    const { admission, lease } = await install('till', 'team-b', mallory);
    expect(admission.dependencyOutputParameters).toBeUndefined();
    expect(lease.parameters).toEqual({});
    expect(JSON.stringify(lease)).not.toContain(canary);
  });

  it('refuses a run in a namespace the caller does not have, before any output is read', async () => {
    await recordDependencyOutputs('team-a', 'cart-db', { user: 'cart', password: canary });
    const request = submitRequest(suite.path, { action: 'install', installation: 'cart', namespace: 'team-a', credentialSets: [], bundleReference, dependenciesRun: true }, { parameters: {} });
    await expect(admitRun(request, mallory, suite.path.admission)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('checks again when it grants the lease: an output that turned sensitive since the admission is not handed to a plain parameter', async () => {
    bundle = parentBundle(false);
    try {
      const runId = randomBytes(12).toString('hex');
      await suite.path.state.records.putOutput('team-a', 'cellar-db', { name: 'user', sensitive: false, value: 'cellar', runId });
      await suite.path.state.records.putOutput('team-a', 'cellar-db', { name: 'password', sensitive: false, value: 'not-yet-secret', runId });
      const request = submitRequest(suite.path, { action: 'install', installation: 'cellar', namespace: 'team-a', credentialSets: [], bundleReference, dependenciesRun: true }, { parameters: {} });
      await admitRun(request, alice, suite.path.admission);
      // The dependency's installation runs another bundle meanwhile, which keeps the password as a secret.
      await recordDependencyOutputs('team-a', 'cellar-db', { user: 'cellar', password: canary });
      await claimRun(suite.runner.claim(request.runId), suite.path.state);
      const keys = generateSealingKeyPair();
      await expect(grantLease(suite.runner.lease(request.runId, keys.publicKey), suite.path.lease)).rejects.toMatchObject({ code: 'conflict' });
    } finally {
      bundle = parentBundle(true);
    }
  });

  it('refuses to hand a sensitive output to a parameter the bundle reads as plain, so it is never shown', async () => {
    await recordDependencyOutputs('team-a', 'ledger-db', { user: 'ledger', password: canary });
    bundle = parentBundle(false);
    try {
      const request = submitRequest(suite.path, { action: 'install', installation: 'ledger', namespace: 'team-a', credentialSets: [], bundleReference, dependenciesRun: true }, { parameters: {} });
      await expect(admitRun(request, alice, suite.path.admission)).rejects.toMatchObject({
        code: 'conflict',
        message: 'output password of installation ledger-db is sensitive, but the bundle reads it as a plain value: rebuild the bundle against the one ledger-db runs',
      });
    } finally {
      bundle = parentBundle(true);
    }
  });
});
