/** Porter's `--param ALIAS#NAME=VALUE`: how the lading command splits a run's values between a bundle and the bundles it requires. */
import { describe, expect, it } from 'vitest';
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
});
