import { describe, expect, it } from 'vitest';
import { encodeStdinPayload, hardenedHostConfig, parseBundleDigests, parseCpuLimit, parseDigestReference, parseEgress, parseNetworkPoolSize } from '../src/internal.js';

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
    expect(config.NanoCpus).toBe(1_000_000_000);
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
    [{ nonce: 'not-hex' }, /output nonce must be 16 to 128 lower-case hexadecimal digits/],
    // The run script refuses these, so the runner does not send them.
    [{ nonce: 'AB'.repeat(16) }, /output nonce must be 16 to 128 lower-case hexadecimal digits/],
    [{ files: { '/cnab/secrets/./key': 'x' } }, /Container file path "\/cnab\/secrets\/.\/key" is not valid/],
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
    [`127.0.0.1:5000/a//b@${digest}`, /invalid repository part/],
    [`127.0.0.1:5000/a..b@${digest}`, /invalid repository part/],
    [`127.0.0.1:5000/app@sha256:${'A'.repeat(64)}`, /invalid digest/],
  ])('refuses %s', (reference, message) => {
    expect(() => parseDigestReference(reference)).toThrow(message);
  });
  it('reads hosts as the OCI grammar does: uppercase DNS names and IPv6 in brackets', () => {
    expect(parseDigestReference(`Registry.Example.com/app@${digest}`)).toEqual({ repository: 'Registry.Example.com/app', digest });
    expect(parseDigestReference(`[::1]:5000/app@${digest}`)).toEqual({ repository: '[::1]:5000/app', digest });
  });
});

describe('runner settings for bundles', () => {
  const digest = `sha256:${'a'.repeat(64)}`;

  it('takes bundle digests for privileges, and refuses a repository name, a reference or a short digest, naming it', () => {
    expect([...parseBundleDigests('LADING_DOCKER_SOCKET_BUNDLES', ` ${digest} ,sha256:${'b'.repeat(64)}`)]).toEqual([digest, `sha256:${'b'.repeat(64)}`]);
    expect(parseBundleDigests('LADING_DOCKER_SOCKET_BUNDLES', undefined).size).toBe(0);
    for (const entry of ['127.0.0.1:5000/bundles/hello', `127.0.0.1:5000/bundles/hello@${digest}`, 'sha256:abc', digest.toUpperCase()]) {
      expect(() => parseBundleDigests('LADING_DOCKER_SOCKET_BUNDLES', `${digest},${entry}`)).toThrow(
        `LADING_DOCKER_SOCKET_BUNDLES lists bundle digests (sha256: and 64 lowercase hex digits, comma-separated), and ${JSON.stringify(entry)} is not one`,
      );
    }
  });

  it('reads a CPU limit as a number of CPUs, one by default, and refuses anything else in one sentence', () => {
    expect(parseCpuLimit('LADING_RUN_CPUS', undefined)).toBe(1_000_000_000);
    expect(parseCpuLimit('LADING_RUN_CPUS', '0.5')).toBe(500_000_000);
    expect(parseCpuLimit('LADING_RUN_CPUS', '2')).toBe(2_000_000_000);
    for (const bad of ['0', '-1', 'two', '1e3', '0x2', 'Infinity', ' 1 2']) {
      expect(() => parseCpuLimit('LADING_RUN_CPUS', bad)).toThrow(`LADING_RUN_CPUS is a number of CPUs from 0.01 up (for example 0.5 or 2), not ${JSON.stringify(bad)}.`);
    }
  });

  it('reads egress as on (the default) or off', () => {
    expect(parseEgress('LADING_RUN_EGRESS', undefined)).toBe('on');
    expect(parseEgress('LADING_RUN_EGRESS', 'off')).toBe('off');
    expect(() => parseEgress('LADING_RUN_EGRESS', 'no')).toThrow('LADING_RUN_EGRESS is `on` or `off`, not "no".');
  });

  it('reads the run network pool size as a whole number from 0 to 16, two by default, and refuses anything else in one sentence', () => {
    expect(parseNetworkPoolSize('LADING_RUN_NETWORK_POOL', undefined)).toBe(2);
    expect(parseNetworkPoolSize('LADING_RUN_NETWORK_POOL', '0')).toBe(0);
    expect(parseNetworkPoolSize('LADING_RUN_NETWORK_POOL', '16')).toBe(16);
    for (const bad of ['17', '-1', '1.5', 'two', '1e1', '0x2', ' 1 2']) {
      expect(() => parseNetworkPoolSize('LADING_RUN_NETWORK_POOL', bad)).toThrow(`LADING_RUN_NETWORK_POOL is a whole number of networks from 0 to 16, not ${JSON.stringify(bad)}.`);
    }
  });
});
