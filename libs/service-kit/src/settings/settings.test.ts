import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCodedError } from '@lading/contracts/errors';
import { boolean, guardSettings, integer, list, oneOf, readSettings, renderSettingsTable, serviceSettings, settingsTable, settingsTables, SettingError, text, url } from './index.js';

const table = settingsTable({
  port: { name: 'LADING_X_PORT', type: integer({ min: 1, max: 65535 }), default: '5000', meaning: 'a port' },
  timeout: { name: 'LADING_X_TIMEOUT_MS', type: integer({ min: 1, unit: 'milliseconds' }), meaning: 'a timeout' },
  open: { name: 'LADING_X_OPEN', type: boolean(), default: 'true', meaning: 'a switch' },
  mode: { name: 'LADING_X_MODE', type: oneOf(['on', 'off']), default: 'on', meaning: 'a choice' },
  names: { name: 'LADING_X_NAMES', type: list(), default: 'admin', meaning: 'a list' },
  upstream: { name: 'LADING_X_UPSTREAM', type: url(), default: 'http://127.0.0.1:5001', meaning: 'a URL' },
  label: { name: 'LADING_X_LABEL', type: text(), meaning: 'a text' },
});

function refusal(env: NodeJS.ProcessEnv): unknown {
  try {
    readSettings(table, env);
  } catch (error) {
    return error;
  }
  throw new Error('the settings were accepted');
}

describe('typed settings', () => {
  it('reads defaults, set values, and treats an empty variable as unset', () => {
    expect(readSettings(table, {})).toEqual({
      port: 5000,
      timeout: undefined,
      open: true,
      mode: 'on',
      names: ['admin'],
      upstream: new URL('http://127.0.0.1:5001'),
      label: undefined,
    });
    const set = readSettings(table, { LADING_X_PORT: '8080', LADING_X_TIMEOUT_MS: '250', LADING_X_OPEN: 'false', LADING_X_MODE: 'off', LADING_X_NAMES: 'a, b,,c', LADING_X_LABEL: 'x', LADING_X_UPSTREAM: '' });
    expect(set).toMatchObject({ port: 8080, timeout: 250, open: false, mode: 'off', names: ['a', 'b', 'c'], label: 'x' });
    expect(set.upstream.host).toBe('127.0.0.1:5001');
  });

  it.each([
    ['LADING_X_PORT', 'abc', 'LADING_X_PORT must be a whole number from 1 to 65535, not "abc".'],
    ['LADING_X_PORT', '-1', 'LADING_X_PORT must be a whole number from 1 to 65535, not "-1".'],
    ['LADING_X_PORT', '0', 'LADING_X_PORT must be a whole number from 1 to 65535, not "0".'],
    ['LADING_X_PORT', '65536', 'LADING_X_PORT must be a whole number from 1 to 65535, not "65536".'],
    ['LADING_X_PORT', '80.5', 'LADING_X_PORT must be a whole number from 1 to 65535, not "80.5".'],
    ['LADING_X_PORT', '1e3', 'LADING_X_PORT must be a whole number from 1 to 65535, not "1e3".'],
    ['LADING_X_PORT', '0x50', 'LADING_X_PORT must be a whole number from 1 to 65535, not "0x50".'],
    ['LADING_X_TIMEOUT_MS', 'NaN', 'LADING_X_TIMEOUT_MS must be a whole number of milliseconds from 1 up, not "NaN".'],
    ['LADING_X_TIMEOUT_MS', '99999999999999999', 'LADING_X_TIMEOUT_MS must be a whole number of milliseconds from 1 up, not "99999999999999999".'],
    ['LADING_X_OPEN', 'yes', 'LADING_X_OPEN must be true or false, not "yes".'],
    ['LADING_X_MODE', 'maybe', 'LADING_X_MODE must be on or off, not "maybe".'],
    ['LADING_X_UPSTREAM', 'not a url', 'LADING_X_UPSTREAM must be a URL such as http://127.0.0.1:5001, not "not a url".'],
    ['LADING_X_UPSTREAM', 'file:///etc/passwd', 'LADING_X_UPSTREAM must be a URL such as http://127.0.0.1:5001, not "file:///etc/passwd".'],
  ])('refuses %s=%s with one sentence naming the variable', (name, value, sentence) => {
    const error = refusal({ [name]: value });
    expect(error).toBeInstanceOf(SettingError);
    expect((error as SettingError).message).toBe(sentence);
    expect((error as SettingError).variable).toBe(name);
    expect(isCodedError(error) && error.code).toBe('bad_configuration');
  });

  it('refuses a bad value of a real table before anything starts', () => {
    expect(() => readSettings(serviceSettings, { LADING_HTTP_PORT: 'abc' })).toThrow('LADING_HTTP_PORT must be a whole number from 0 to 65535, not "abc".');
    expect(() => readSettings(guardSettings, { LADING_GUARD_RESERVATION_TTL_MS: '-5' })).toThrow(/^LADING_GUARD_RESERVATION_TTL_MS must be a whole number of milliseconds from 1 up/);
  });

  it("has, in every service's table, defaults its own parsers accept and one row per variable", () => {
    for (const [, each] of settingsTables) {
      expect(() => readSettings(each, {})).not.toThrow();
      const names = Object.values(each).map((setting) => setting.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });
});

describe("README's configuration table", () => {
  it('is the one the settings tables make', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../../../README.md'), 'utf8');
    const expected = renderSettingsTable();
    const start = readme.indexOf('| variable | used by | value | default | meaning |');
    const shown = start < 0 ? '' : readme.slice(start, readme.indexOf('\n\n', start) + 1);
    expect(shown, 'README.md must carry the table renderSettingsTable() makes').toBe(expected);
  });
});
