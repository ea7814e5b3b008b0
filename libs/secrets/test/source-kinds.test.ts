import { describe, expect, it } from 'vitest';
import { describeSet, isCallerResolved, sourceKindOf } from '../src/index.js';

describe('source kinds', () => {
  it('reads the one kind a source names, and nothing for none, several or an unknown one', () => {
    expect(sourceKindOf({ secret: 'a' })).toBe('secret');
    expect(sourceKindOf({ value: 'v' })).toBe('value');
    expect(sourceKindOf({})).toBeUndefined();
    expect(sourceKindOf({ env: 'A', path: '/p' })).toBeUndefined();
    expect(sourceKindOf({ vault: 'x' })).toBeUndefined();
  });

  it('leaves env, path and command to the caller, and secret and value to the broker', () => {
    expect([{ env: 'A' }, { path: '/p' }, { command: 'c' }].map(isCallerResolved)).toEqual([true, true, true]);
    expect([{ secret: 's' }, { value: 'v' }, { env: 'A', secret: 's' }].map(isCallerResolved)).toEqual([false, false, false]);
  });

  it('names a set the same way in every message', () => {
    expect(describeSet('credentials', { namespace: 'team-a', name: 'aws' })).toBe('credential set "team-a/aws"');
    expect(describeSet('parameters', { namespace: '', name: 'p' })).toBe('parameter set "p"');
  });
});
