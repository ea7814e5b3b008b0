/**
 * porter.yaml `dockerfile:` templates built for real (docker-registry, Docker Engine): Porter's
 * markers filled, the template's FROM pinned through the registry, the image still ending as the
 * bundle user whatever the template says, and the build's network as the builder's setting says.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { validateBundle } from '@lading/cnab';
import { AllowedRegistries, RegistryClient } from '@lading/oci';
import type { BundleFile, Egress } from '@lading/runtime';
import type { TestRegistry } from '@lading/testkit';
import { buildBundle } from '../src/internal.js';
import { docker, imagesLabelled, refusedBuild, removeImages, startBuildStage } from './registry-images.js';

const suffix = randomBytes(6).toString('hex');
const bundleName = `lading-test-template-${suffix}`;
const localBaseTag = `lading-test-busybox-template:${suffix}`;
const baseRepository = 'lading/busybox';

const file = (path: string, text: string, mode = 0o644): BundleFile => ({ path, mode, content: Buffer.from(text) });
const porterYaml = (registry: string) => `schemaVersion: 1.0.1
name: ${bundleName}
version: 0.1.0
registry: ${registry}/bundles
dockerfile: template.Dockerfile
mixins: [exec]
install:
  - exec: { command: ./helpers.sh }
`;

describe('buildBundle with a dockerfile template', () => {
  let registry: TestRegistry;
  let client: RegistryClient;
  let engine: Docker;
  let baseImageId = '';
  let log: string[] = [];

  /** The bundle directory of a Porter user: porter.yaml, a helper, the template, and a .dockerignore leaving the template out. */
  const bundle = (template: string): BundleFile[] => [
    file('porter.yaml', porterYaml(registry.host)),
    file('helpers.sh', '#!/bin/sh\necho installed\n', 0o755),
    file('.dockerignore', 'template.Dockerfile\n'),
    file('template.Dockerfile', template),
  ];
  const build = (files: BundleFile[], buildEgress?: Egress) => {
    log = [];
    // As the builder does: only the registries the operator allows are contacted.
    const registries = new AllowedRegistries(registry.host);
    return buildBundle({ files, docker: engine, registryFor: (host, what) => registries.clientFor(host, what), log: (line) => log.push(line), ...(buildEgress ? { buildEgress } : {}) });
  };
  const invocationImage = (built: { bundle: unknown }) => validateBundle(built.bundle).invocationImages[0]?.image as string;

  const refused = (files: BundleFile[], buildEgress?: Egress) => refusedBuild(bundleName, () => build(files, buildEgress));

  beforeAll(async () => {
    ({ registry, client, engine, baseImageId } = await startBuildStage(localBaseTag, baseRepository));
  });

  afterAll(async () => {
    removeImages(imagesLabelled(`sh.lading.bundle=${bundleName}`));
    removeImages([baseImageId, localBaseTag].filter((id) => id !== ''));
    await registry?.stop();
  });

  it('fills the markers, pins the FROM tag through the registry, and the image still runs as 65532 after the template says USER root', async () => {
    const template = [
      `FROM ${registry.host}/${baseRepository}:stable`,
      '# PORTER_INIT',
      'RUN echo "$BUNDLE_DIR $BUNDLE_UID" > /porter-init',
      '# PORTER_MIXINS',
      'COPY . ${BUNDLE_DIR}',
      'USER root',
      'RUN mkdir -p /opt/tool && id -u > /opt/tool/built-as',
      'ENTRYPOINT ["/bin/sh"]',
      'CMD ["-c", "id"]',
    ].join('\n');
    const built = await build(bundle(template));
    const head = await client.headManifest(baseRepository, 'stable');
    const pinned = `${registry.host}/${baseRepository}@${head?.digest}`;
    expect((validateBundle(built.bundle).custom?.['sh.lading'] as { baseImage: string }).baseImage).toBe(pinned);
    expect(log).toContain(`dockerfile template.Dockerfile:1 FROM ${registry.host}/${baseRepository}:stable → ${pinned}`);

    // What the registry serves for the digest, not the local build.
    const reference = invocationImage(built);
    removeImages(imagesLabelled(`sh.lading.bundle=${bundleName}`));
    docker('pull', '-q', reference);
    expect(docker('image', 'inspect', '--format', '{{.Config.User}} {{json .Config.Entrypoint}} {{json .Config.Cmd}}', reference)).toBe('65532:65532 ["/cnab/lading/run"] []');
    const inImage = (command: string) => docker('run', '--rm', '--entrypoint', '/bin/sh', reference, '-c', command);
    expect(inImage('id -u')).toBe('65532');
    expect(inImage('cat /porter-init /opt/tool/built-as')).toBe('/cnab/app 65532\n0');
    // The template's COPY . read the bundle's files; .dockerignore kept the template itself out.
    expect(inImage('ls /cnab/app')).toBe(['helpers.sh', 'outputs', 'porter.yaml', 'run'].join('\n'));
  });

  it('refuses a FROM on Docker Hub, as Porter\'s templates write it, before anything is contacted', async () => {
    const refusal = await refused(bundle('FROM debian:stable-slim\nRUN apt-get update\n'));
    expect(refusal.code).toBe('unresolvable');
    expect(refusal.message).toBe(
      "dockerfile template.Dockerfile:1: FROM debian:stable-slim names an image on Docker Hub, which Lading does not contact: copy it into a registry the stack allows and name it with that registry's host",
    );
  });

  it('refuses a FROM on a registry the stack does not contact', async () => {
    const refusal = await refused(bundle('FROM registry.example.com/debian:stable-slim\n'));
    expect(refusal.code).toBe('unresolvable');
    expect(refusal.message).toMatch(/^dockerfile template\.Dockerfile:1 FROM "registry\.example\.com\/debian:stable-slim" is on registry registry\.example\.com, which this stack does not contact/);
  });

  it('refuses a FROM tag the registry does not know', async () => {
    const refusal = await refused(bundle(`FROM ${registry.host}/${baseRepository}:stable AS tools\nFROM ${registry.host}/${baseRepository}:gone\nCOPY --from=tools /bin/sh /sh\n`));
    expect(refusal.message).toMatch(/^cannot resolve dockerfile template\.Dockerfile:2 FROM ".*:gone": registry .* has no such image/);
  });

  it('refuses a manifest whose template is not in the bundle directory', async () => {
    const refusal = await refused(bundle('').filter((entry) => entry.path !== 'template.Dockerfile'));
    expect(refusal.message).toBe('dockerfile template.Dockerfile is not in the bundle directory: add the template or correct dockerfile in the manifest');
  });

  it('refuses what only BuildKit does, naming the line', async () => {
    const refusal = await refused(bundle(`FROM ${registry.host}/${baseRepository}:stable\nRUN --mount=type=secret,id=token cat /run/secrets/token\n`));
    expect(refusal.message).toMatch(/^dockerfile template\.Dockerfile:2: RUN --mount needs BuildKit/);
  });

  it('gives the build no network with egress off, and a step that fails is refused with what it printed', async () => {
    // Only loopback: no interface a download could leave by (the apt-get case is in the CLI's Porter conformance suite).
    const template = `FROM ${registry.host}/${baseRepository}:stable\nRUN ls /sys/class/net && echo 'no route out' >&2 && test -e /sys/class/net/eth0\n`;
    const refusal = await refused(bundle(template), 'off');
    expect(refusal.code).toBe('build_failed');
    expect(refusal.message).toMatch(/^the invocation image did not build: .*returned a non-zero code: 1 \(last output: "[^"]+" \/ "[^"]+"\)$/);
    // What the step printed on stdout and on stderr, in whichever order they arrived, without the builder's colours.
    expect(refusal.message).toContain('"lo"');
    expect(refusal.message).toContain('"no route out"');
  });

  it('gives the build Docker\'s network with egress on', async () => {
    const built = await build(bundle(`FROM ${registry.host}/${baseRepository}:stable\nRUN ls /sys/class/net > /build-networks\n`), 'on');
    const reference = invocationImage(built);
    expect(docker('run', '--rm', '--entrypoint', '/bin/sh', reference, '-c', 'cat /build-networks').split('\n')).toContain('eth0');
  });
});
