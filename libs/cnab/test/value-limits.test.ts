import { describe, expect, it } from 'vitest';
import { CnabValidationError, nestsTooDeep, parameterValueProblem, validateCredentialSet, valueLimits, valueSizeProblem } from '../src/internal.js';

describe('typed parameter values, parsed strictly', () => {
  it.each([
    ['integer', '42'],
    ['integer', '-7'],
    ['integer', '0'],
    ['number', '3'],
    ['number', '-0.5'],
    ['number', '1e6'],
    ['number', '2.5E-3'],
    ['boolean', 'true'],
    ['string', '  anything \n'],
  ])('takes %s %j', (type, value) => {
    expect(parameterValueProblem('p', type, value)).toBeUndefined();
  });

  it.each([
    ['integer', '  5'],
    ['integer', '5 '],
    ['integer', '0x1f'],
    ['integer', '05'],
    ['integer', '1.0'],
    ['integer', '+5'],
    ['integer', '9007199254740993'],
    ['integer', ''],
    ['number', 'Infinity'],
    ['number', '-Infinity'],
    ['number', 'NaN'],
    ['number', '0x1f'],
    ['number', '0b11'],
    ['number', '  5'],
    ['number', '1e999'],
    ['number', '.5'],
    ['number', '5.'],
    ['number', ''],
    ['boolean', 'TRUE'],
    ['boolean', '1'],
  ])('refuses %s %j with one sentence', (type, value) => {
    const problem = parameterValueProblem('size', type, value);
    expect(problem).toMatch(/^parameter size must be .*; got ".*"$/);
    expect(problem?.split('. ')).toHaveLength(1);
  });
});

describe('value sizes', () => {
  it('refuses a value over the limit, naming it', () => {
    expect(valueSizeProblem('parameter big', 'x'.repeat(9 * 1024 * 1024), false)).toBe('parameter big is 9437184 bytes: a value may be at most 1 MiB');
  });

  it('refuses an environment variable value over its limit and says to use a file', () => {
    const value = 'x'.repeat(valueLimits.envValueBytes + 1);
    expect(valueSizeProblem('credential token', value, true)).toMatch(/at most 120 KiB; deliver it as a file/);
    expect(valueSizeProblem('credential token', value, false)).toBeUndefined();
    expect(valueSizeProblem('credential token', 'x'.repeat(valueLimits.envValueBytes), true)).toBeUndefined();
  });

  it('refuses a set with an oversized literal value, naming the entry', () => {
    const set = { schemaVersion: '1.0.1', name: 's', created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z', credentials: [{ name: 'c', source: { value: 'x'.repeat(valueLimits.valueBytes + 1) } }] };
    expect(() => validateCredentialSet(set)).toThrow(/credentials\[0\]\.source\.value is 1048577 bytes: a value may be at most 1 MiB/);
  });
});

describe('nesting depth', () => {
  const nested = (levels: number) => {
    let value: unknown = 'leaf';
    for (let i = 0; i < levels; i += 1) value = i % 2 === 0 ? { a: value } : [value];
    return value;
  };

  it('finds a 20,000-level document too deep without running out of stack', () => {
    expect(nestsTooDeep(nested(20_000))).toBe(true);
    expect(nestsTooDeep(nested(valueLimits.nestingDepth))).toBe(false);
    expect(nestsTooDeep(nested(valueLimits.nestingDepth + 1))).toBe(true);
  });

  it('refuses a deeply nested custom section with one sentence naming the limit', () => {
    const set = { schemaVersion: '1.0.1', name: 's', created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z', credentials: [], custom: nested(20_000) };
    expect(() => validateCredentialSet(set)).toThrow(CnabValidationError);
    expect(() => validateCredentialSet(set)).toThrow(/\(root\) nests objects or arrays deeper than 64 levels/);
  });
});
