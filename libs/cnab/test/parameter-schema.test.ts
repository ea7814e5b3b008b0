import { describe, expect, it } from 'vitest';
import { bundleNeeds, commandLineProblem, parameterSchemaProblem, type Bundle } from '../src/index.js';

const bundle = {
  schemaVersion: '1.2.0',
  name: 'schemas',
  version: '0.1.0',
  invocationImages: [{ image: 'r.io/a@sha256:' + 'a'.repeat(64), imageType: 'docker' }],
  parameters: {
    replicas: { definition: 'replicas', destination: { env: 'REPLICAS' } },
    size: { definition: 'size', destination: { env: 'SIZE' } },
    region: { definition: 'region', destination: { env: 'REGION' } },
    ratio: { definition: 'ratio', destination: { env: 'RATIO' } },
    config: { definition: 'config', destination: { env: 'CONFIG' } },
    tags: { definition: 'tags', destination: { env: 'TAGS' } },
    password: { definition: 'password', destination: { env: 'PASSWORD' } },
    kubeconfig: { definition: 'kubeconfig', destination: { path: '/home/nonroot/.kube/config' } },
  },
  definitions: {
    replicas: { type: 'integer', default: 2, minimum: 1, maximum: 5 },
    size: { type: 'string', enum: ['s', 'm', 'l'] },
    region: { type: 'string', pattern: '^[a-z]+-[0-9]$', minLength: 4, maxLength: 12 },
    ratio: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, multipleOf: 0.25 },
    config: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer', maximum: 65535 } }, additionalProperties: false },
    tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2, uniqueItems: true },
    password: { type: 'string', writeOnly: true, minLength: 12 },
    kubeconfig: { type: 'string', contentEncoding: 'base64' },
  },
} as unknown as Bundle;

const needs = bundleNeeds(bundle, 'install');
const problem = (name: string, value: string) => commandLineProblem(needs, { [name]: value });

describe('a parameter value is checked against the JSON Schema of its definition', () => {
  it.each([
    ['replicas', '3'],
    ['size', 'm'],
    ['region', 'eu-1'],
    ['ratio', '0.5'],
    ['config', '{"name": "web", "port": 8443}'],
    ['tags', '["a", "b"]'],
    ['password', 'long-enough-secret'],
    ['kubeconfig', 'apiVersion: v1\n'],
  ])('takes %s=%s', (name, value) => {
    expect(problem(name, value)).toBeUndefined();
  });

  it.each([
    ['replicas', '0', 'parameter replicas must be at least 1 (minimum in its definition)'],
    ['replicas', '6', 'parameter replicas must be at most 5 (maximum in its definition)'],
    ['size', 'xl', 'parameter size must be one of "s", "m", "l" (enum in its definition)'],
    ['region', 'EU-1', 'parameter region must match the pattern "^[a-z]+-[0-9]$" (pattern in its definition)'],
    ['region', 'a-1', 'parameter region must be at least 4 characters long (minLength in its definition)'],
    ['region', 'abcdefghijkl-1', 'parameter region must be at most 12 characters long (maxLength in its definition)'],
    ['ratio', '1', 'parameter ratio must be less than 1 (exclusiveMaximum in its definition)'],
    ['ratio', '0.3', 'parameter ratio must be a multiple of 0.25 (multipleOf in its definition)'],
    ['config', '{"port": 80}', 'parameter config must have the field "name" (required in its definition)'],
    ['config', '{"name": "web", "port": 70000}', 'parameter config field port must be at most 65535 (maximum in its definition)'],
    ['config', '{"name": "web", "extra": 1}', 'parameter config must not have the field "extra" (additionalProperties in its definition)'],
    ['config', '{"name": 5}', 'parameter config field name must be of type string (type in its definition)'],
    ['config', 'name=web', 'parameter config must be written as JSON (an object such as {"name": "x"})'],
    ['tags', '[]', 'parameter tags must have at least 1 items (minItems in its definition)'],
    ['tags', '["a", "a"]', 'parameter tags must not repeat an item (uniqueItems in its definition)'],
    ['tags', '{"a": 1}', 'parameter tags must be of type array (type in its definition)'],
  ])('refuses %s=%s in one sentence naming the parameter and the rule', (name, value, sentence) => {
    expect(problem(name, value)).toBe(sentence);
  });

  it('never repeats the value it refuses: it may be a secret', () => {
    const secret = 'short-pw';
    const refused = problem('password', secret);
    expect(refused).toBe('parameter password must be at least 12 characters long (minLength in its definition)');
    expect(refused).not.toContain(secret);
  });

  it('checks the type first, strictly, before the schema', () => {
    expect(problem('replicas', ' 3')).toMatch(/^parameter replicas must be an integer/);
  });

  it('says so when a definition is not a JSON Schema at all', () => {
    expect(parameterSchemaProblem('odd', { type: 'string', pattern: '(' }, 'x')).toMatch(/^parameter odd cannot be checked: its definition in bundle.json is not a valid JSON Schema/);
  });

  it('refuses a value nested deeper than any document may be, without recursing into it', () => {
    const deep = `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`;
    expect(parameterSchemaProblem('config', { type: 'object' }, deep)).toBe('parameter config nests objects or arrays deeper than 64 levels');
  });
});
