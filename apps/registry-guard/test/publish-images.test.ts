/**
 * Referenced images from other registries at publish, on the real registry-guard process: an
 * `images:` entry on a second registry the operator allows arrives in the bundle's repository by
 * digest; one on a registry not allowed, or missing where it is said to be, refuses the publish
 * naming the image — nothing is tagged, and the registry not allowed is never contacted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsConnection } from '@nats-io/nats-core';
import { endpoints, type Bundle } from '@lading/contracts';
import { pullBundle, RegistryClient, sha256Digest } from '@lading/oci';
import { callEndpoint, RemoteFailure } from '@lading/service-kit';
import { startConnectionCounter, startRegistry, type ConnectionCounter, type TestRegistry } from '@lading/testkit';
import { pushTinyImage } from '../../../libs/oci/test/support/tiny-image.js';
import { bundleFactory, type BundleFactory, type TestBundle } from './support/bundles.js';
import { startGuardedUpstream, upstreamClient } from './support/guarded-upstream.js';
import { startGuardProcess, type GuardProcess } from './support/guard-process.js';
import { startIdentities, type Identities } from './support/identities.js';

describe('publish copies referenced images from the registries the operator allows', () => {
  let identities: Identities;
  let registry: TestRegistry;
  let other: TestRegistry;
  let unlisted: ConnectionCounter;
  let guard: GuardProcess;
  let nc: NatsConnection;
  let upstream: RegistryClient;
  let factory: BundleFactory;
  let built: TestBundle;
  let extra: Awaited<ReturnType<typeof pushTinyImage>>;

  /** The built bundle with one more `images:` entry. */
  const withImage = (image: string, digest: string) => {
    const images = built.bundle.images ?? {};
    return { ...built.bundle, images: { ...images, extra: { ...images.tools, image, contentDigest: digest } } };
  };
  const publish = (bundle: Bundle, tag: string) =>
    callEndpoint(nc, endpoints.publish, { bundle, tag: `${guard.host}/${built.repository}:${tag}`, force: false }, { timeoutMs: 120_000 });
  const refusal = (attempt: Promise<unknown>) =>
    attempt.then(
      () => undefined,
      (caught: unknown) => caught as RemoteFailure,
    );

  beforeAll(async () => {
    identities = await startIdentities();
    const guarded = await startGuardedUpstream();
    registry = guarded;
    [other, unlisted] = await Promise.all([startRegistry(), startConnectionCounter()]);
    guard = await startGuardProcess({
      natsUrl: identities.nats.url,
      upstreamUrl: registry.url,
      upstreamAccount: guarded.credentials,
      env: { ...identities.guardEnv(), LADING_ALLOWED_REGISTRIES: other.host },
    });
    // The administrator publishes, as `lading publish` does.
    nc = await identities.connect('admin');
    upstream = upstreamClient(registry);
    factory = bundleFactory();
    built = await factory.build(guard.host, { username: 'admin', password: identities.password('admin') });
    extra = await pushTinyImage(new RegistryClient({ registry: other.host }), 'tools/extra', 'from the second registry');
  });

  afterAll(async () => {
    await nc?.close();
    await guard?.stop();
    await Promise.all([registry?.stop(), other?.stop(), unlisted?.stop()]);
    await identities?.stop();
    await factory?.cleanUp();
  });

  it('brings the invocation image into the repository the bundle is published to, when it was built in another', async () => {
    const invocation = (built.bundle.invocationImages as Array<{ image: string; contentDigest: string }>)[0]!;
    expect(invocation.image).toBe(`${guard.host}/${built.repository}@${invocation.contentDigest}`);
    const elsewhere = `${built.repository}-released`;
    expect(await upstream.headManifest(elsewhere, invocation.contentDigest)).toBeUndefined();
    const reply = await callEndpoint(nc, endpoints.publish, { bundle: built.bundle, tag: `${guard.host}/${elsewhere}:v1`, force: false }, { timeoutMs: 120_000 });
    expect(reply.reference).toBe(`${guard.host}/${elsewhere}@${reply.digest}`);
    // An install reads the bundle's repository alone: the index, the invocation image and its layers are all there.
    const pulled = await pullBundle(upstream, elsewhere, reply.digest);
    expect(pulled.invocationImage.digest).toBe(invocation.contentDigest);
    const manifest = JSON.parse((await upstream.getManifest(elsewhere, invocation.contentDigest)).body.toString()) as { layers: Array<{ digest: string }> };
    for (const layer of manifest.layers) expect(await upstream.hasBlob(elsewhere, layer.digest), layer.digest).toBe(true);
  });

  it('brings an image from a second allowed registry into the bundle repository by digest', async () => {
    expect(await upstream.headManifest(built.repository, extra.digest)).toBeUndefined();
    const reply = await publish(withImage(`${other.host}/tools/extra@${extra.digest}`, extra.digest), 'with-extra');
    expect(reply.outcome).toBe('created');
    expect((await upstream.headManifest(built.repository, extra.digest))?.digest).toBe(extra.digest);
    expect((await upstream.getBlobBuffer(built.repository, sha256Digest(extra.layer))).equals(extra.layer)).toBe(true);
  });

  it('refuses an image on a registry the operator did not allow, naming it, without contacting it', async () => {
    const image = `${unlisted.host}/tools/far@${extra.digest}`;
    const error = await refusal(publish(withImage(image, extra.digest), 'unlisted'));
    expect(error?.code).toBe('invalid_request');
    expect(error?.message).toBe(
      `images.extra ${image} is on registry ${unlisted.host}, which this stack does not contact: the operator allows ${guard.host}, ${other.host}, so it cannot be copied into the bundle's repository`,
    );
    expect(await upstream.headManifest(built.repository, 'unlisted')).toBeUndefined();
    expect(unlisted.connections()).toBe(0);
  });

  it('refuses an image missing from its allowed registry, naming it, and tags nothing', async () => {
    const missing = `sha256:${'0'.repeat(64)}`;
    const image = `${other.host}/tools/extra@${missing}`;
    const error = await refusal(publish(withImage(image, missing), 'missing'));
    expect(error?.message).toMatch(new RegExp(`^images\\.extra ${image} could not be copied into ${guard.host}/${built.repository}: `));
    expect(error?.message.split('\n')).toHaveLength(1);
    expect(await upstream.headManifest(built.repository, 'missing')).toBeUndefined();
  });
});
