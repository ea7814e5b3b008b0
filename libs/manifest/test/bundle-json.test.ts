import { validateBundle } from '@lading/cnab';
import { describe, expect, it } from 'vitest';
import { parseManifest, renderDockerfile, toBundleJson, type ResolvedImages } from '../src/internal.js';

const digest = (c: string): string => `sha256:${c.repeat(64)}`;
const manifest = parseManifest(`name: hello
version: 0.1.0
description: Says hello
registry: 127.0.0.1:5000/demo
baseImage: 127.0.0.1:5000/lading/busybox:1.35
credentials:
  - { name: api-token, env: API_TOKEN, required: true, applyTo: [install] }
  - { name: kubeconfig, path: /home/nonroot/.kube/config }
parameters:
  - { name: greeting, default: hello, env: GREETING, applyTo: [install, upgrade] }
  - { name: db-password, sensitive: true, path: /etc/hello/db-password }
outputs:
  - { name: message, applyTo: [install] }
  - { name: token, sensitive: true }
images:
  helper: { repository: 127.0.0.1:5000/lading/busybox, tag: "1.35", description: helper image }
customActions:
  status: { description: Shows status, stateless: true }
install:
  - exec: { command: echo, arguments: ["{{ bundle.parameters.greeting }}"], outputs: [{ name: message, regex: "h.*" }] }
upgrade:
  - exec: { command: echo }
status:
  - exec: { command: echo }
`);

const resolved: ResolvedImages = {
  baseImage: { reference: `127.0.0.1:5000/lading/busybox@${digest('b')}`, digest: digest('b') },
  images: { helper: { reference: `127.0.0.1:5000/demo/hello@${digest('c')}`, digest: digest('c'), mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 528 } },
  invocationImage: {
    reference: `127.0.0.1:5000/demo/hello@${digest('a')}`,
    digest: digest('a'),
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    size: 1234,
  },
};

describe('toBundleJson', () => {
  it('writes a bundle.json that validates against the CNAB schema', () => {
    const bundle = toBundleJson(manifest, resolved);
    expect(validateBundle(bundle)).toBe(bundle);
    expect(bundle.schemaVersion).toBe('v1.0.0');
    expect(bundle.invocationImages).toEqual([
      {
        imageType: 'docker',
        image: `127.0.0.1:5000/demo/hello@${digest('a')}`,
        contentDigest: digest('a'),
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        size: 1234,
      },
    ]);
    expect(bundle.images?.helper).toMatchObject({ image: `127.0.0.1:5000/demo/hello@${digest('c')}`, contentDigest: digest('c'), description: 'helper image' });
    expect(bundle.credentials).toEqual({
      'api-token': { env: 'API_TOKEN', required: true, applyTo: ['install'] },
      kubeconfig: { path: '/home/nonroot/.kube/config', required: false },
    });
    expect(bundle.parameters?.greeting).toEqual({ definition: 'greeting-parameter', destination: { env: 'GREETING' }, required: false, applyTo: ['install', 'upgrade'] });
    expect(bundle.parameters?.['db-password']).toEqual({ definition: 'db-password-parameter', destination: { path: '/etc/hello/db-password' }, required: true });
    expect(bundle.definitions?.['greeting-parameter']).toEqual({ type: 'string', default: 'hello' });
    expect(bundle.definitions?.['db-password-parameter']).toEqual({ type: 'string', writeOnly: true });
    expect(bundle.outputs?.message).toEqual({ definition: 'message-output', path: '/cnab/app/outputs/message', applyTo: ['install'] });
    expect(bundle.definitions?.['token-output']).toEqual({ type: 'string', writeOnly: true });
    expect(bundle.actions).toEqual({ status: { description: 'Shows status', modifies: false, stateless: true } });
    expect(bundle.custom?.['sh.lading']).toMatchObject({ baseImage: `127.0.0.1:5000/lading/busybox@${digest('b')}` });
  });

  it('refuses images named by tag or with a digest that does not match', () => {
    expect(() =>
      toBundleJson(manifest, { ...resolved, invocationImage: { ...resolved.invocationImage, reference: '127.0.0.1:5000/demo/hello:v0.1.0' } }),
    ).toThrow(/invocation image reference "127.0.0.1:5000\/demo\/hello:v0.1.0" is not of the form repo@sha256/);
    expect(() =>
      toBundleJson(manifest, { ...resolved, baseImage: { reference: `r.io/b@${digest('e')}`, digest: digest('f') } }),
    ).toThrow(/does not match its digest/);
    expect(() => toBundleJson(manifest, { ...resolved, images: {} })).toThrow(/Image "helper" was not resolved/);
  });
});

describe('renderDockerfile', () => {
  it('pins the base, runs as 65532 and links file-delivered values into the secrets tmpfs', () => {
    const text = renderDockerfile(manifest, { baseImageDigestRef: `127.0.0.1:5000/lading/busybox@${digest('b')}` });
    const lines = text.split('\n');
    expect(lines[1]).toBe(`FROM 127.0.0.1:5000/lading/busybox@${digest('b')}`);
    expect(text).toContain('COPY --chown=0:0 app/ /cnab/app/');
    expect(text).toContain('COPY --chown=0:0 app/ /cnab/lading/app/');
    expect(text).toContain('COPY --chown=0:0 run /cnab/lading/run');
    expect(text).toContain('chmod 0755 /cnab/lading/run');
    expect(text).toContain('mkdir -p /cnab/app/outputs /cnab/secrets');
    expect(text).toContain('ln -s /cnab/lading/run /cnab/app/run');
    expect(text).toContain("ln -s '/cnab/secrets/kubeconfig' '/home/nonroot/.kube/config'");
    expect(text).toContain("ln -s '/cnab/secrets/db-password' '/etc/hello/db-password'");
    expect(lines.slice(-6)).toEqual(['LABEL sh.lading.writable-app=true', 'ENV HOME=/tmp', 'WORKDIR /cnab/app', 'USER 65532:65532', 'ENTRYPOINT ["/cnab/lading/run"]', '']);
  });

  it('refuses a base image that is not pinned by digest', () => {
    expect(() => renderDockerfile(manifest, { baseImageDigestRef: '127.0.0.1:5000/lading/busybox:1.35' })).toThrow(/not pinned by digest/);
  });
});
