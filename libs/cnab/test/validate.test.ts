import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CnabValidationError,
  validateBundle,
  validateClaim,
  validateClaimResult,
  validateCredentialSet,
  validateDependencies,
  validateInstallation,
  validateParameterSet,
  validateParameterSources,
  validateRelocationMapping,
  validateStatus,
} from '../src/internal.js';

const fixtures = new URL('./fixtures/', import.meta.url);
const load = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(file, fixtures), 'utf8')) as Record<string, unknown>;

// Each spec example names its kind in its file name: 101.01-bundle.json → bundle.
const validatorsByKind: Record<string, (doc: unknown) => unknown> = {
  bundle: validateBundle,
  claim: validateClaim,
  'claim-result': validateClaimResult,
  'credential-set': validateCredentialSet,
  'parameter-set': validateParameterSet,
  installation: validateInstallation,
  'relocation-mapping': validateRelocationMapping,
  status: validateStatus,
  dependencies: validateDependencies,
  'parameter-sources': validateParameterSources,
};

describe('validators accept every example', () => {
  const files = readdirSync(fixtures).filter((f) => f.endsWith('.json'));
  it('has the spec examples and the Lading ones', () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
  });
  it.each(files)('%s', (file) => {
    const kind = file.replace(/\.json$/, '').replace(/^(\d+\.\d+|lading)-/, '');
    const validate = validatorsByKind[kind];
    expect(validate, `no validator for ${kind}`).toBeDefined();
    const doc = load(file);
    expect(validate(doc)).toBe(doc);
  });
});

describe('validators refuse bad documents', () => {
  it('names the kind and the JSON path of each problem', () => {
    const bundle = load('101.02-bundle.json');
    delete bundle.name;
    (bundle.invocationImages as Record<string, unknown>[])[0] = { imageType: 'oci' };
    (bundle.outputs as Record<string, Record<string, unknown>>).port.path = '/tmp/port';
    let error: unknown;
    try {
      validateBundle(bundle);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CnabValidationError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Invalid CNAB bundle: /);
    expect(message).toContain('name is required');
    expect(message).toContain('invocationImages[0].image is required');
    expect(message).toContain('outputs.port.path must match pattern');
    expect((error as CnabValidationError).problems).toHaveLength(3);
  });

  it('lists at most five problems and counts the rest', () => {
    const result = { claimId: 1, id: 2, created: 3, status: 'exploded', message: 4, outputs: { a: 5, b: 6 } };
    const error = (() => {
      try {
        validateClaimResult(result);
      } catch (e) {
        return e as CnabValidationError;
      }
      throw new Error('expected a validation error');
    })();
    expect(error.problems.length).toBe(7);
    expect(error.message).toContain('and 2 more');
    expect(error.problems).toContainEqual({ path: 'status', message: expect.stringMatching(/^must be one of "canceled"/) });
  });

  it('reports problems inside the bundle of a claim with their full path', () => {
    const claim = load('400.01-claim.json');
    (claim.bundle as Record<string, unknown>).invocationImages = 'nope';
    expect(() => validateClaim(claim)).toThrow(/claim: bundle\.invocationImages must be array/);
  });

  it('refuses a parameter set with credentials instead of parameters', () => {
    const set = load('lading-parameter-set.json');
    set.credentials = set.parameters;
    delete set.parameters;
    expect(() => validateParameterSet(set)).toThrow(/Invalid CNAB parameter set: parameters is required/);
  });

  it('refuses value mappings with unknown fields and non-string installation names', () => {
    const creds = load('802.01-credential-set.json');
    (creds.credentials as Record<string, unknown>[])[1].value = 'oops';
    expect(() => validateCredentialSet(creds)).toThrow(/credentials\[1\]\.value is not allowed/);
    const installation = load('lading-installation.json');
    installation.name = 42;
    expect(() => validateInstallation(installation)).toThrow(/installation: name must be string/);
  });

  it('refuses a document that is not an object', () => {
    expect(() => validateBundle('bundle')).toThrow(/bundle: \(root\) must be object/);
  });
});
