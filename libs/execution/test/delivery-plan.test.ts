import { describe, expect, it } from 'vitest';
import { valueLimits } from '@lading/cnab';
import type { BundleNeeds } from '@lading/cnab';
import { planDelivery, RunRefusedError } from '../src/internal.js';

const needs: BundleNeeds = {
  credentials: [{ name: 'token', required: true, env: 'TOKEN' }, { name: 'kubeconfig', required: false, path: '/home/nonroot/kube' }],
  parameters: [
    { name: 'region', required: false, sensitive: false, env: 'REGION' },
    { name: 'replicas', required: false, sensitive: false, env: 'REPLICAS', type: 'integer', schema: { type: 'integer', minimum: 1, maximum: 5 } },
    { name: 'config', required: false, sensitive: false, env: 'CONFIG', type: 'object', default: { name: 'web' }, schema: { type: 'object', required: ['name'] } },
  ],
  outputs: [],
};
const lease = (credentials: Record<string, string>, parameters: Record<string, string> = {}) => ({ runId: 'r', expiresAt: '', credentials, parameters });

describe('planDelivery', () => {
  it('masks every leased value, whether the bundle declares it sensitive, uses it in this action or not at all', () => {
    const plan = planDelivery(needs, {}, lease({ token: 't-1', unused: 'u-1' }, { region: 'eu-west-9', other: 'o-1' }));
    expect(new Set(plan.secretValues)).toEqual(new Set(['t-1', 'u-1', 'eu-west-9', 'o-1']));
  });

  it('refuses an environment value over the limit with one sentence naming it', () => {
    const big = 'x'.repeat(valueLimits.envValueBytes + 1);
    expect(() => planDelivery(needs, {}, lease({ token: big }))).toThrow(RunRefusedError);
    expect(() => planDelivery(needs, {}, lease({ token: big }))).toThrow(/^credential token is 122881 bytes: a value delivered in an environment variable may be at most 120 KiB; deliver it as a file \(path\) instead$/);
    expect(() => planDelivery(needs, {}, lease({ token: 't', kubeconfig: big }))).not.toThrow();
  });

  it('refuses a 9 MB value wherever it is delivered', () => {
    expect(() => planDelivery(needs, {}, lease({ token: 't', kubeconfig: 'x'.repeat(9_000_000) }))).toThrow(/kubeconfig is 9000000 bytes: a value may be at most 1 MiB/);
  });

  it('refuses a leased integer that is not written plainly', () => {
    expect(() => planDelivery(needs, {}, lease({ token: 't' }, { replicas: '0x1f' }))).toThrow(/parameter replicas must be an integer/);
  });

  it('refuses a leased value outside its JSON Schema (a set\'s secret, read only for the lease) before any container starts', () => {
    expect(() => planDelivery(needs, {}, lease({ token: 't' }, { replicas: '9' }))).toThrow(/^parameter replicas must be at most 5 \(maximum in its definition\)$/);
    expect(() => planDelivery(needs, {}, lease({ token: 't' }, { config: '{"port": 1}' }))).toThrow(/^parameter config must have the field "name"/);
  });

  it('delivers an object default as JSON, as a value given for it would be written', () => {
    expect(planDelivery(needs, {}, lease({ token: 't' })).env.CONFIG).toBe('{"name":"web"}');
  });

  it('lets an output take back the value it handed to a parameter, and masks that value in the log only when the output is sensitive', () => {
    const sourced: BundleNeeds = {
      credentials: [{ name: 'token', required: true, env: 'TOKEN' }],
      parameters: [
        { name: 'name', required: false, sensitive: false, env: 'NAME', source: { output: 'name', sensitive: false } },
        { name: 'secret', required: false, sensitive: false, env: 'SECRET', source: { output: 'secret', sensitive: true } },
        { name: 'plain', required: false, sensitive: false, env: 'PLAIN' },
      ],
      outputs: [],
    };
    const plan = planDelivery(sourced, {}, lease({ token: 't-1' }, { name: 'porter', secret: 's-1', plain: 'p-1' }));
    expect(new Set(plan.secretValues)).toEqual(new Set(['t-1', 's-1', 'p-1']));
    expect(new Set(plan.outputSecretValues)).toEqual(new Set(['t-1', 'p-1']));
  });

  it("masks a required bundle's sensitive output in the log and lets no output of the parent carry it out; a plain one is neither", () => {
    const fromDependency: BundleNeeds = {
      credentials: [],
      parameters: [
        { name: 'porter-db-user-dep-output', required: false, sensitive: false, env: 'USER', source: { output: 'user', sensitive: false, dependency: 'db' } },
        { name: 'porter-db-password-dep-output', required: false, sensitive: true, env: 'PASSWORD', source: { output: 'password', sensitive: true, dependency: 'db' } },
      ],
      outputs: [],
    };
    const plan = planDelivery(fromDependency, {}, lease({}, { 'porter-db-user-dep-output': 'admin', 'porter-db-password-dep-output': 'pw-1' }));
    expect(new Set(plan.secretValues)).toEqual(new Set(['pw-1']));
    // The plain one is in the records in clear already: the parent may pass it on.
    expect(new Set(plan.outputSecretValues)).toEqual(new Set(['pw-1']));
  });

  it('finds no value for a credential or parameter named constructor or toString unless one was leased or given', () => {
    const prototypeNamed: BundleNeeds = {
      credentials: [{ name: 'constructor', required: true, env: 'CONSTRUCTOR_CREDENTIAL' }],
      parameters: [{ name: 'toString', required: true, sensitive: false, env: 'TO_STRING_VALUE' }],
      outputs: [],
    };
    expect(() => planDelivery(prototypeNamed, {}, lease({}))).toThrow(/^credential constructor is required but was not resolved/);
    expect(() => planDelivery(prototypeNamed, {}, lease({ constructor: 'c' }))).toThrow(/^parameter toString is required/);
    expect(planDelivery(prototypeNamed, { toString: 't' }, lease({ constructor: 'c' })).env).toEqual({ CONSTRUCTOR_CREDENTIAL: 'c', TO_STRING_VALUE: 't' });
  });
});
