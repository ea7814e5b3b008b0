import { describe, expect, it } from 'vitest';
import { appliesTo, appliesToText, isSensitiveOutput, isSensitiveParameter, type Bundle } from '../src/internal.js';

describe('appliesTo', () => {
  it('reads an absent or empty list as every action, as CNAB says', () => {
    for (const action of ['install', 'upgrade', 'uninstall', 'custom']) {
      expect(appliesTo(undefined, action)).toBe(true);
      expect(appliesTo([], action)).toBe(true);
    }
    expect(appliesToText(undefined)).toBe('all');
    expect(appliesToText([])).toBe('all');
  });

  it('limits a non-empty list to the actions it names', () => {
    expect(appliesTo(['install'], 'install')).toBe(true);
    expect(appliesTo(['install'], 'upgrade')).toBe(false);
    expect(appliesToText(['install', 'upgrade'])).toBe('install,upgrade');
  });
});

describe('sensitivity', () => {
  const bundle: Bundle = {
    schemaVersion: '1.2.0',
    name: 'b',
    version: '1.0.0',
    invocationImages: [],
    definitions: { secret: { type: 'string', writeOnly: true }, plain: { type: 'string' } },
    parameters: { password: { definition: 'secret', destination: { env: 'PASSWORD' } }, colour: { definition: 'plain', destination: { env: 'COLOUR' } } },
    outputs: { token: { definition: 'secret', path: '/cnab/app/outputs/token' }, url: { definition: 'plain', path: '/cnab/app/outputs/url' } },
  };

  it('follows writeOnly on the definition, for parameters and outputs alike', () => {
    expect(isSensitiveParameter(bundle, 'password')).toBe(true);
    expect(isSensitiveParameter(bundle, 'colour')).toBe(false);
    expect(isSensitiveOutput(bundle, 'token')).toBe(true);
    expect(isSensitiveOutput(bundle, 'url')).toBe(false);
    expect(isSensitiveParameter(bundle, 'unknown')).toBe(false);
  });
});
