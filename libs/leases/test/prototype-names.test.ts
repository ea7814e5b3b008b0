/**
 * A bundle may name its parameters and outputs `constructor`, `toString`, `valueOf` or
 * `hasOwnProperty`, the names every JavaScript object lends from its prototype. To the broker they
 * are ordinary names: a required one that is not given is missing, a given one reaches the run
 * with its value, and an output of such a name is absent until a run produces it. On a real
 * nats-server, through admission, lease and finish as the broker runs them.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RunInput } from '@lading/contracts';
import { DEPENDENCIES_EXTENSION, DEPENDENCY_OUTPUT_SOURCE, PARAMETER_SOURCES_EXTENSION, validateBundle, type Bundle } from '@lading/cnab';
import { runScopedSecretName } from '@lading/secrets';
import { admitRun } from '../src/index.js';
import { bundleReference, runPathSuiteReading, runThrough, submitRequest } from './run-path-fixture.js';

const canary = `proto-secret-${randomBytes(8).toString('hex')}`;
const alice = { principal: 'alice', namespaces: ['team-a'], admin: false };
const digest = `sha256:${'1'.repeat(64)}`;

/**
 * `constructor` (plain) and `toString` (sensitive) are required; `valueOf` takes the installation's
 * last output `constructor`; `hasOwnProperty` takes the output `constructor` of the required bundle `db`.
 */
const prototypeNamedBundle: Bundle = validateBundle({
  schemaVersion: '1.2.0',
  name: 'proto',
  version: '0.1.0',
  invocationImages: [{ imageType: 'docker', image: `127.0.0.1:5000/bundles/proto@${digest}`, contentDigest: digest }],
  parameters: {
    constructor: { definition: 'plain', required: true, destination: { env: 'CONSTRUCTOR_VALUE' } },
    toString: { definition: 'secret', required: true, destination: { env: 'TO_STRING_VALUE' } },
    valueOf: { definition: 'plain', destination: { env: 'VALUE_OF' } },
    hasOwnProperty: { definition: 'plain', destination: { env: 'HAS_OWN_PROPERTY' } },
  },
  outputs: { constructor: { definition: 'plain', path: '/cnab/app/outputs/constructor' } },
  definitions: { plain: { type: 'string' }, secret: { type: 'string', writeOnly: true } },
  custom: {
    [PARAMETER_SOURCES_EXTENSION]: {
      valueOf: { priority: ['output'], sources: { output: { name: 'constructor' } } },
      hasOwnProperty: { priority: [DEPENDENCY_OUTPUT_SOURCE], sources: { [DEPENDENCY_OUTPUT_SOURCE]: { dependency: 'db', name: 'constructor' } } },
    },
    [DEPENDENCIES_EXTENSION]: { sequence: ['db'], requires: { db: { bundle: `127.0.0.1:5000/bundles/db@${digest}` } } },
  },
  requiredExtensions: [PARAMETER_SOURCES_EXTENSION, DEPENDENCIES_EXTENSION],
});

describe('parameters and outputs named like what objects lend from their prototype', () => {
  const suite = runPathSuiteReading(() => prototypeNamedBundle);

  const request = (installation: string, action: string, parameters: RunInput['parameters']) =>
    submitRequest(suite.path, { action, installation, namespace: 'team-a', credentialSets: [], bundleReference, dependenciesRun: true }, { parameters });

  const run = (installation: string, action: string, parameters: RunInput['parameters']) => runThrough(suite.path, suite.runner, request(installation, action, parameters), alice);

  it('refuses an install without a required parameter named constructor or toString, naming it as missing', async () => {
    await expect(admitRun(request('bare', 'install', {}), alice, suite.path.admission)).rejects.toMatchObject({
      code: 'unresolvable',
      message: 'parameter constructor is required: pass --param constructor=VALUE or a parameter set',
    });
    await expect(admitRun(request('bare', 'install', { constructor: 'given' }), alice, suite.path.admission)).rejects.toMatchObject({
      code: 'unresolvable',
      message: 'parameter toString is required: pass --param toString=VALUE or a parameter set',
    });
    expect(suite.path.queued.some((item) => item.installation === 'bare')).toBe(false);
  });

  it('refuses an upgrade whose installation remembers no value named constructor', async () => {
    await expect(admitRun(request('never-installed', 'upgrade', {}), alice, suite.path.admission)).rejects.toMatchObject({
      code: 'unresolvable',
      message: 'parameter constructor is required: pass --param constructor=VALUE or a parameter set',
    });
  });

  it('hands the given values to the run, the sensitive toString in the lease alone, and no output value before one is produced', async () => {
    const { lease, queued } = await run('shop', 'install', { constructor: 'built', toString: canary });
    expect(lease.parameters).toEqual({ constructor: 'built', toString: canary });
    expect(queued).toMatchObject({ parameters: { constructor: 'built' }, sensitiveParameters: ['toString'] });
    expect(JSON.stringify(queued)).not.toContain(canary);
  });

  it('reuses what the installation remembers under those names, and reads the output constructor only once a run produced it', async () => {
    await run('till', 'install', { constructor: 'built', toString: canary });
    // The required bundle's installation has outputs, but none called constructor.
    await suite.path.state.records.putOutput('team-a', 'till-db', { name: 'user', sensitive: false, value: 'shop', runId: randomBytes(12).toString('hex') });
    const upgraded = await run('till', 'upgrade', {});
    expect(upgraded.lease.parameters).toEqual({ constructor: 'built', toString: canary });

    const runId = randomBytes(12).toString('hex');
    await suite.path.state.records.putOutput('team-a', 'till', { name: 'constructor', sensitive: false, value: 'from-output', runId });
    await suite.path.state.records.putOutput('team-a', 'till-db', { name: 'constructor', sensitive: false, value: 'from-db', runId });
    const sourced = await run('till', 'upgrade', {});
    expect(sourced.lease.parameters).toEqual({ constructor: 'built', toString: canary, valueOf: 'from-output', hasOwnProperty: 'from-db' });
    // Nothing the run path built had its prototype replaced or picked up a name.
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(await suite.path.state.store.get(runScopedSecretName(runId, 'output', 'constructor'))).toBeUndefined();
  });
});
