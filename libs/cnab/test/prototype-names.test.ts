/**
 * Names in a bundle.json or a set are chosen by whoever wrote it. `constructor`, `toString` and the
 * other names objects lend from their prototype are ordinary names here, absent unless the
 * document holds them; `__proto__`, which no record Lading builds could keep, is refused when the
 * document is read, with one sentence, and changes nothing.
 */
import { describe, expect, it } from 'vitest';
import {
  bundleNeeds,
  createClaim,
  CnabValidationError,
  isSensitiveOutput,
  isSensitiveParameter,
  parameterSourceOutput,
  requiredBundles,
  validateBundle,
  validateCredentialSet,
  validateParameterSet,
} from '../src/internal.js';
import { dependencyParameterDefaults } from '../src/dependencies.js';

const digest = `sha256:${'1'.repeat(64)}`;
const invocationImages = [{ imageType: 'docker', image: `127.0.0.1:5000/bundles/proto@${digest}`, contentDigest: digest }];
const base = { schemaVersion: '1.2.0', name: 'proto', version: '0.1.0', invocationImages };
const stamps = { created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z' };
const reserved = 'is reserved: JavaScript objects take __proto__ for their prototype, not for a name; choose another name';

/** A document as it arrives: JSON.parse keeps a `__proto__` key as an ordinary one, as a registry's bytes would. */
const parsed = (text: string): unknown => JSON.parse(text);

function refusal(validate: () => unknown): CnabValidationError {
  try {
    validate();
  } catch (error) {
    expect(error).toBeInstanceOf(CnabValidationError);
    return error as CnabValidationError;
  }
  throw new Error('the document was accepted');
}

describe('names objects lend from their prototype', () => {
  const bundle = validateBundle({
    ...base,
    parameters: {
      constructor: { definition: 'toString', required: true, destination: { env: 'CONSTRUCTOR_VALUE' } },
      toString: { definition: 'secret', destination: { env: 'TO_STRING_VALUE' } },
    },
    outputs: { valueOf: { definition: 'plain', path: '/cnab/app/outputs/valueOf' } },
    definitions: { plain: { type: 'string' }, secret: { type: 'string', writeOnly: true } },
  });

  it('reads a parameter whose definition is missing as having none, not the prototype function of that name', () => {
    const constructor = bundleNeeds(bundle, 'install').parameters.find(({ name }) => name === 'constructor');
    expect(constructor).toMatchObject({ required: true, sensitive: false });
    expect(constructor?.schema).toBeUndefined();
    expect(constructor?.type).toBeUndefined();
  });

  it('finds no parameter, output, source, dependency or handed value the bundle does not declare', () => {
    expect(isSensitiveParameter(bundle, 'toString')).toBe(true);
    expect(isSensitiveParameter(bundle, 'hasOwnProperty')).toBe(false);
    expect(isSensitiveOutput(bundle, 'constructor')).toBe(false);
    expect(parameterSourceOutput({ ...bundle, custom: { 'io.cnab.parameter-sources': {} } }, 'constructor')).toBeUndefined();
    const requiring = { ...bundle, custom: { 'io.cnab.dependencies': { sequence: ['constructor', 'db'], requires: { db: { bundle: `r/db@${digest}` } } } } };
    expect(requiredBundles(requiring)).toEqual([{ alias: 'db', bundle: `r/db@${digest}` }]);
    expect(dependencyParameterDefaults({ ...bundle, custom: { 'sh.lading': { dependencyParameters: {} } } }, 'constructor')).toEqual({});
  });

  it("records a sensitive value's secret in the claim under its own name, constructor included", () => {
    const claim = createClaim({
      installation: 'proto',
      action: 'install',
      bundle,
      bundleReference: `127.0.0.1:5000/bundles/proto@${digest}`,
      parameters: { toString: 'not-recorded' },
      secretReferences: { constructor: 'run-1-constructor', toString: 'run-1-to-string' },
    });
    expect(claim.parameters).toEqual({ toString: 'secret:run-1-to-string', constructor: 'secret:run-1-constructor' });
    expect(JSON.stringify(claim)).not.toContain('not-recorded');
  });
});

describe('__proto__ in a CNAB document', () => {
  it.each([
    ['a parameter', '"parameters":{"__proto__":{"definition":"plain","destination":{"env":"P"}}},"definitions":{"plain":{"type":"string"}}', 'parameters.__proto__'],
    ['a credential', '"credentials":{"__proto__":{"env":"C"}}', 'credentials.__proto__'],
    ['an output', '"outputs":{"__proto__":{"definition":"plain","path":"/cnab/app/outputs/x"}},"definitions":{"plain":{"type":"string"}}', 'outputs.__proto__'],
    ['a definition', '"definitions":{"__proto__":{"type":"string"}}', 'definitions.__proto__'],
    ['a required bundle', `"custom":{"io.cnab.dependencies":{"requires":{"__proto__":{"bundle":"r/db@${digest}"}}}}`, 'custom["io.cnab.dependencies"].requires.__proto__'],
  ])('refuses %s named __proto__ in bundle.json, saying where', (_what, fields, where) => {
    const text = `{"schemaVersion":"1.2.0","name":"proto","version":"0.1.0","invocationImages":${JSON.stringify(invocationImages)},${fields}}`;
    const document = parsed(text);
    const error = refusal(() => validateBundle(document));
    expect(error.problems).toEqual([{ path: where, message: reserved }]);
    expect(error.message).toBe(`Invalid CNAB bundle: ${where} ${reserved}. Fix the document so it follows the CNAB bundle schema.`);
    // The document is left as it came, and no object's prototype changed.
    expect(JSON.stringify(document)).toBe(text);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('refuses a credential or parameter set entry named __proto__', () => {
    const entry = { name: '__proto__', source: { value: 'x' } };
    const parameters = refusal(() => validateParameterSet({ schemaVersion: '1.0.1', name: 'p', ...stamps, parameters: [{ name: 'ok', source: { value: 'y' } }, entry] }));
    expect(parameters.problems).toEqual([{ path: 'parameters[1].name', message: reserved }]);
    const credentials = refusal(() => validateCredentialSet({ schemaVersion: '1.0.1', name: 'c', ...stamps, credentials: [entry] }));
    expect(credentials.problems).toEqual([{ path: 'credentials[0].name', message: reserved }]);
  });

  it('accepts sets whose entries are named constructor or toString', () => {
    const set = validateParameterSet({ schemaVersion: '1.0.1', name: 'p', ...stamps, parameters: [{ name: 'constructor', source: { value: 'c' } }, { name: 'toString', source: { env: 'T' } }] });
    expect(set.parameters.map(({ name }) => name)).toEqual(['constructor', 'toString']);
  });
});
