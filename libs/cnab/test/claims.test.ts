import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bundleDigest,
  canonicalJson,
  createClaim,
  createClaimResult,
  newUlid,
  ulidPattern,
  validateBundle,
  validateClaim,
  validateClaimResult,
  type Bundle,
  type ClaimStatus,
} from '../src/internal.js';

const bundle = validateBundle(
  JSON.parse(readFileSync(new URL('./fixtures/101.01-bundle.json', import.meta.url), 'utf8')),
) as Bundle;
const sensitiveBundle: Bundle = {
  ...bundle,
  parameters: {
    ...bundle.parameters,
    password: { definition: 'x509Certificate', destination: { path: '/cnab/secrets/password' } },
  },
};

describe('ids', () => {
  it('makes ULIDs that sort by time and differ', () => {
    const a = newUlid(1_700_000_000_000);
    const b = newUlid(1_700_000_000_001);
    expect(a).toMatch(ulidPattern);
    expect(a < b).toBe(true);
    expect(new Set(Array.from({ length: 100 }, () => newUlid())).size).toBe(100);
    expect(newUlid(0).slice(0, 10)).toBe('0000000000');
  });
});

describe('createClaim', () => {
  it('makes a valid claim without any sensitive value', () => {
    const claim = createClaim({
      installation: 'hello',
      namespace: 'team-a',
      action: 'install',
      bundle: sensitiveBundle,
      bundleReference: `127.0.0.1:5000/demo/hello@sha256:${'a'.repeat(64)}`,
      parameters: { backend_port: 81, password: 'hunter2' },
      secretReferences: { password: 'hello-password' },
    });
    expect(validateClaim(claim)).toBe(claim);
    expect(claim.id).toMatch(ulidPattern);
    expect(claim.revision).toMatch(ulidPattern);
    expect(claim.namespace).toBe('team-a');
    expect(claim.parameters).toEqual({ backend_port: 81, password: 'secret:hello-password' });
    expect(JSON.stringify(claim)).not.toContain('hunter2');
  });

  it('redacts a sensitive value even without a secret reference', () => {
    const claim = createClaim({
      id: newUlid(),
      revision: newUlid(),
      installation: 'hello',
      action: 'upgrade',
      bundle: sensitiveBundle,
      bundleReference: 'r@sha256:00',
      parameters: { password: 'hunter2' },
    });
    expect(claim.parameters).toEqual({ password: 'secret:(redacted)' });
    expect(claim.namespace).toBeUndefined();
  });
});

describe('createClaimResult', () => {
  it.each(['canceled', 'failed', 'succeeded', 'pending', 'running', 'unknown'] as ClaimStatus[])(
    'makes a valid %s result',
    (status) => {
      const result = createClaimResult({
        claimId: newUlid(),
        status,
        message: 'done',
        outputs: { port: { contentDigest: 'sha256:abc' } },
      });
      expect(validateClaimResult(result)).toBe(result);
      expect(result.id).toMatch(ulidPattern);
    },
  );

  it('refuses an unknown status', () => {
    expect(() => createClaimResult({ claimId: 'x', status: 'done' as ClaimStatus })).toThrow(/not one of canceled/);
  });
});

describe('canonical JSON and bundle digest', () => {
  it('sorts keys at every depth and drops whitespace and undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined, x: 'é' }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"x":"é","z":1}]},"b":1}',
    );
  });

  it('gives the same digest whatever the key order', () => {
    const shuffled: Bundle = Object.fromEntries(Object.entries(bundle).reverse()) as unknown as Bundle;
    expect(bundleDigest(shuffled)).toBe(bundleDigest(bundle));
    expect(bundleDigest(bundle)).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(bundleDigest({ ...bundle, version: '9.9.9' })).not.toBe(bundleDigest(bundle));
  });
});
