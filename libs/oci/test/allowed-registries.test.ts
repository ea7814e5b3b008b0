import { describe, expect, it } from 'vitest';
import { AllowedRegistries, OciError } from '../src/index.js';

describe('AllowedRegistries', () => {
  it('allows the front door alone when the operator names nothing else', () => {
    const registries = new AllowedRegistries('127.0.0.1:5000');
    expect(registries.hosts).toEqual(['127.0.0.1:5000']);
    expect(registries.clientFor('127.0.0.1:5000', 'baseImage "x"').registry).toBe('127.0.0.1:5000');
  });

  it('adds the operator’s registries, once each', () => {
    const registries = new AllowedRegistries('127.0.0.1:5000', ['ghcr.io', '127.0.0.1:5000', 'registry.example:443']);
    expect(registries.hosts).toEqual(['127.0.0.1:5000', 'ghcr.io', 'registry.example:443']);
    expect(registries.allows('ghcr.io')).toBe(true);
    expect(registries.allows('ghcr.io:443')).toBe(false);
  });

  it('refuses a client for any other host in one sentence naming it and the allowed ones', () => {
    const registries = new AllowedRegistries('127.0.0.1:5000', ['ghcr.io']);
    let refusal: unknown;
    try {
      registries.clientFor('169.254.169.254', 'baseImage "169.254.169.254/x:1"');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(OciError);
    expect((refusal as OciError).reason).toBe('REGISTRY_NOT_ALLOWED');
    expect((refusal as OciError).message).toBe('baseImage "169.254.169.254/x:1" is on registry 169.254.169.254, which this stack does not contact: the operator allows 127.0.0.1:5000, ghcr.io.');
  });

  it('refuses a list entry that is not a registry host', () => {
    expect(() => new AllowedRegistries('127.0.0.1:5000', ['ghcr.io', 'http://evil/x'])).toThrow('The allowed registries name "http://evil/x", which is not a registry host[:port].');
  });
});
