import { describe, expect, it } from 'vitest';
import { encodeStdinPayload, hardenedHostConfig, parseDigestReference } from '../src/index.js';

describe('hardenedHostConfig', () => {
  it('drops every capability, forbids privilege gain, mounts secrets on tmpfs and hides the Docker socket', () => {
    const config = hardenedHostConfig();
    expect(config).toMatchObject({
      Privileged: false,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges:true'],
      ReadonlyRootfs: true,
      Binds: [],
      LogConfig: { Type: 'none' },
    });
    expect(config.Tmpfs?.['/cnab/secrets']).toContain('noexec');
    expect(config.Tmpfs?.['/cnab/secrets']).toContain('uid=65532');
    expect(config.MemorySwap).toBe(config.Memory);
    expect(config.PidsLimit).toBeGreaterThan(0);
  });

  it('binds the Docker socket only when the operator allowed it', () => {
    const config = hardenedHostConfig({ allowDockerSocket: true, dockerSocketGid: 998 });
    expect(config.Binds).toEqual(['/var/run/docker.sock:/var/run/docker.sock']);
    expect(config.GroupAdd).toEqual(['998']);
    expect(config.CapDrop).toEqual(['ALL']);
  });
});

describe('encodeStdinPayload', () => {
  it('writes env, file, nonce and action lines, then end', () => {
    const payload = encodeStdinPayload({
      action: 'install',
      nonce: '00112233445566778899aabbccddeeff',
      env: { DB_PASSWORD: 'p a\nss' },
      files: { '/cnab/secrets/kubeconfig': Buffer.from([0, 1, 2]) },
    }).toString();
    expect(payload).toBe(
      [
        `env DB_PASSWORD ${Buffer.from('p a\nss').toString('base64')}`,
        'file /cnab/secrets/kubeconfig AAEC',
        'nonce - 00112233445566778899aabbccddeeff',
        `action - ${Buffer.from('install').toString('base64')}`,
        'end',
        '',
      ].join('\n'),
    );
  });

  it.each([
    [{ env: { 'BAD NAME': 'x' } }, /Environment variable name "BAD NAME"/],
    [{ files: { 'relative/path': 'x' } }, /Container file path "relative\/path"/],
    [{ files: { '/cnab/secrets/../../etc/passwd': 'x' } }, /Container file path/],
    [{ files: { '/cnab/secrets/a b': 'x' } }, /Container file path/],
    [{ nonce: 'not-hex' }, /output nonce must be 16 to 128 hex digits/],
  ])('refuses %o', (override, message) => {
    expect(() => encodeStdinPayload({ action: 'install', nonce: '00112233445566778899aabbccddeeff', ...override })).toThrow(message);
  });
});

describe('parseDigestReference', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  it('accepts repo@sha256 references', () => {
    expect(parseDigestReference(`127.0.0.1:5000/team/app@${digest}`)).toEqual({ repository: '127.0.0.1:5000/team/app', digest });
  });
  it.each([
    ['127.0.0.1:5000/team/app:v1', /has no digest/],
    ['app', /has no digest/],
    [`app:v1@${digest}`, /invalid repository part/],
    ['app@sha256:abc', /invalid digest/],
    [`app@sha512:${'a'.repeat(128)}`, /invalid digest/],
    [`App@${digest}`, /invalid repository part/],
  ])('refuses %s', (reference, message) => {
    expect(() => parseDigestReference(reference)).toThrow(message);
  });
});
