/** Porter's `--param ALIAS#NAME=VALUE`: how the lading command splits a run's values between a bundle and the bundles it requires. */
import { describe, expect, it } from 'vitest';
import { parseParams } from '../src/commands/run.js';
import { splitDependencyParams } from '../src/dependency-runs.js';

describe('--param for required bundles', () => {
  it("keeps the bundle's own values and groups the others by alias", () => {
    expect(splitDependencyParams(['greeting=hi#there', 'mysql#salt=s=1', 'mysql#fail=true', 'redis#port=6379'], ['mysql', 'redis'])).toEqual({
      own: ['greeting=hi#there'],
      byAlias: { mysql: { salt: 's=1', fail: 'true' }, redis: { port: '6379' } },
    });
  });

  it('refuses an alias the bundle does not require, naming the ones it does', () => {
    expect(() => splitDependencyParams(['postgres#salt=x'], ['mysql'])).toThrow('--param postgres#salt names dependency postgres, which the bundle does not require; it requires mysql');
    expect(() => splitDependencyParams(['postgres#salt=x'], [])).toThrow(/^--param postgres#salt names dependency postgres, which the bundle does not require$/);
  });

  it('refuses a value for a required bundle without a parameter name', () => {
    expect(() => splitDependencyParams(['mysql#=x'], ['mysql'])).toThrow('--param mysql#=x must be ALIAS#NAME=VALUE');
    expect(() => splitDependencyParams(['mysql#salt'], ['mysql'])).toThrow('--param mysql#salt must be ALIAS#NAME=VALUE');
  });

  it('refuses a value for a required bundle\'s parameter named __proto__, and keeps constructor as an ordinary name', () => {
    expect(() => splitDependencyParams(['mysql#__proto__=x'], ['mysql'])).toThrow(
      /^--param mysql#__proto__ is reserved: JavaScript objects take __proto__ for their prototype, not for a name; choose another name$/,
    );
    const { byAlias } = splitDependencyParams(['mysql#constructor=c', 'mysql#toString=t'], ['mysql']);
    expect(Object.entries(byAlias.mysql ?? {})).toEqual([['constructor', 'c'], ['toString', 't']]);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});

describe('--param NAME=VALUE', () => {
  it('refuses the name __proto__ with one sentence, leaving every prototype as it was', () => {
    expect(() => parseParams(['greeting=hi', '__proto__=x'])).toThrow(
      /^--param __proto__ is reserved: JavaScript objects take __proto__ for their prototype, not for a name; choose another name$/,
    );
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('keeps constructor and toString as the names they are: absent unless given', () => {
    const given = parseParams(['constructor=c', 'toString=t']);
    expect(Object.entries(given)).toEqual([['constructor', 'c'], ['toString', 't']]);
    const none = parseParams([]);
    expect(none.constructor).toBeUndefined();
    expect(Object.hasOwn(parseParams(['greeting=hi']), 'toString')).toBe(false);
  });
});
