/**
 * A guard SIGKILLed after it reserved a tag, while its upstream write is in flight: a new guard
 * and a retry converge — the retry succeeds (or is idempotently unchanged when the write had
 * landed), no tag stays pending, and upstream agrees with the ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints, type Bundle } from '@lading/contracts';
import { TagLedger } from '@lading/guard';
import type { RegistryClient } from '@lading/oci';
import { callEndpoint } from '@lading/service-kit';
import { freePort, type TestRegistry } from '@lading/testkit';
import type { NatsConnection } from '@nats-io/nats-core';
import { makeOciLayout, scratchDir, skopeoCopy } from '../../../libs/guard/test/support/clients.js';
import { bundleFactory, variant, type BundleFactory, type TestBundle } from './support/bundles.js';
import { startGuardedUpstream, upstreamClient } from './support/guarded-upstream.js';
import { startGuardProcess, type GuardProcess } from './support/guard-process.js';
import { startHeldUpstream, type HeldUpstream } from './support/held-upstream.js';
import { startIdentities, type Identities } from './support/identities.js';

/** Short, so a retry does not wait long for the dead guard's reservation to expire. */
const reservationTtlMs = '3000';

describe('a guard killed in the middle of a publish', () => {
  let identities: Identities;
  let registry: TestRegistry;
  let ledgerNc: NatsConnection;
  const admin = () => ({ username: 'admin', password: identities.password('admin') });
  const adminCreds = () => ['--dest-creds', `admin:${identities.password('admin')}`];
  let held: HeldUpstream;
  let port: number;
  let guard: GuardProcess;
  let nc: NatsConnection;
  let ledger: TagLedger;
  let upstream: RegistryClient;
  let factory: BundleFactory;
  let built: TestBundle;
  let scratch: string;

  const startGuard = async () => {
    guard = await startGuardProcess({
      natsUrl: identities.nats.url,
      upstreamUrl: held.url,
      upstreamAccount: registry.credentials,
      port,
      env: { ...identities.guardEnv(), LADING_GUARD_RESERVATION_TTL_MS: reservationTtlMs },
    });
  };
  const reference = (tag: string) => `${guard.publicHost}/${built.repository}:${tag}`;

  /** Sends a publish on its own connection, which is closed once the guard died so the call ends. */
  async function doomedPublish(bundle: Bundle, tag: string): Promise<{ abandon(): Promise<void> }> {
    const own = await identities.connect('admin');
    const call = callEndpoint(own, endpoints.publish, { bundle, tag: reference(tag) }).catch(() => undefined);
    return {
      async abandon() {
        await own.close();
        await call;
      },
    };
  }

  /** Waits for the guard to reserve the tag and start writing it upstream, checks the ledger, SIGKILLs it. */
  async function killWhileWriting(tag: string, start: () => Promise<{ abandon(): Promise<void> }>) {
    const writing = held.holdNextTagWrite(built.repository, tag);
    const publisher = await start();
    const write = await writing;
    expect(await ledger.getTag(built.repository, tag)).toMatchObject({ state: 'pending' });
    await guard.kill();
    await publisher.abandon();
    await startGuard();
    return write;
  }

  async function expectSettled(tag: string, digest: string) {
    expect(await ledger.getTag(built.repository, tag)).toMatchObject({ state: 'committed', digest });
    expect((await upstream.headManifest(built.repository, tag))?.digest).toBe(digest);
  }

  beforeAll(async () => {
    identities = await startIdentities();
    registry = await startGuardedUpstream();
    held = await startHeldUpstream(registry.url);
    port = await freePort();
    await startGuard();
    nc = await identities.connect('admin');
    ledgerNc = await identities.connect('test');
    ledger = await TagLedger.open(ledgerNc, { forcePrincipals: [] });
    upstream = upstreamClient(registry);
    factory = bundleFactory();
    built = await factory.build(guard.host, admin());
    scratch = await scratchDir();
  });

  afterAll(async () => {
    await nc?.close();
    await ledgerNc?.close();
    await guard?.stop();
    await held?.stop();
    await registry?.stop();
    await identities?.stop();
    await factory?.cleanUp();
  });

  it('the write never landed: the retry on a new guard creates the tag', async () => {
    const tag = 'lost-write';
    await killWhileWriting(tag, () => doomedPublish(built.bundle, tag));
    expect(await upstream.headManifest(built.repository, tag)).toBeUndefined();

    const retry = await callEndpoint(nc, endpoints.publish, { bundle: built.bundle, tag: reference(tag) });
    expect(retry.outcome).toBe('created');
    await expectSettled(tag, retry.digest);
  });

  it('the write landed just before the crash: the retry is unchanged and another bundle is still refused', async () => {
    const tag = 'landed-write';
    const write = await killWhileWriting(tag, () => doomedPublish(built.bundle, tag));
    expect(await held.deliver(write)).toBe(201);

    const retry = await callEndpoint(nc, endpoints.publish, { bundle: built.bundle, tag: reference(tag) });
    expect(retry.outcome).toBe('unchanged');
    await expectSettled(tag, retry.digest);
    await expect(
      callEndpoint(nc, endpoints.publish, { bundle: variant(built.bundle, 'after the crash'), tag: reference(tag) }),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining(retry.digest) });
  });

  it('a skopeo push through the front door of the killed guard: skopeo again through the new guard succeeds', async () => {
    const tag = 'front-door';
    const layout = await makeOciLayout(scratch);
    await killWhileWriting(tag, async () => {
      const copy = skopeoCopy(layout, `${guard.host}/${built.repository}:${tag}`, adminCreds());
      return { abandon: async () => void (await copy) };
    });

    const again = await skopeoCopy(layout, `${guard.host}/${built.repository}:${tag}`, adminCreds());
    expect(again.code, again.stderr).toBe(0);
    await expectSettled(tag, layout.digest);
  });
});
