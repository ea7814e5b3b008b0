/**
 * Guarantee 5 across replicas: two real registry-guard processes share NATS and the upstream
 * registry; in every round many publishers race for one tag — `lading publish` over the NATS
 * endpoint (queue groups spread the requests over both guards), `skopeo copy` and `docker push`
 * through both front doors — and exactly one wins while upstream, ledger and winner agree.
 * The suite runs the product's bar, 100 publishers × 20 rounds; LADING_RACE_PUBLISHERS /
 * LADING_RACE_ROUNDS scale it down for a quick local loop.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints } from '@lading/contracts';
import { TagLedger } from '@lading/guard';
import type { RegistryClient } from '@lading/oci';
import { callEndpoint, RemoteFailure } from '@lading/service-kit';
import { parsePrometheusText, type TestRegistry } from '@lading/testkit';
import type { NatsConnection } from '@nats-io/nats-core';
import { importBusyboxImage, makeOciLayout, runClient, scratchDir, skopeoCopy } from '../../../libs/guard/test/support/clients.js';
import { bundleFactory, variant, type BundleFactory, type TestBundle } from './support/bundles.js';
import { startGuardedUpstream, upstreamClient } from './support/guarded-upstream.js';
import { startGuardProcess, type GuardProcess } from './support/guard-process.js';
import { startIdentities, type Identities } from './support/identities.js';

const publishers = Number(process.env.LADING_RACE_PUBLISHERS ?? 100);
const rounds = Number(process.env.LADING_RACE_ROUNDS ?? 20);
const dockerPublishers = publishers >= 8 ? 2 : 0;
const skopeoPublishers = Math.min(10, Math.max(1, Math.floor(publishers / 6)));
const ladingPublishers = publishers - dockerPublishers - skopeoPublishers;

interface Attempt {
  via: 'lading' | 'skopeo' | 'docker';
  digest: string | undefined;
  won: boolean;
  refusal: string;
}

/** How many publish requests a guard answered, from its own /metrics. */
async function publishRequestsServed(guard: GuardProcess): Promise<number> {
  const text = await (await fetch(`${guard.healthUrl}/metrics`)).text();
  const decisions = parsePrometheusText(text).find((family) => family.name === 'lading_ledger_decisions_total');
  return (decisions?.metrics ?? []).reduce((sum, metric) => sum + Number(metric.value ?? 0), 0);
}

// The rounds, then the spread they added up to: the last step counts what every round before it served.
describe(`${publishers} concurrent publishers (${ladingPublishers} lading, ${skopeoPublishers} skopeo, ${dockerPublishers} docker) to one tag across two guard processes, ${rounds} rounds`, { shuffle: false }, () => {
  let identities: Identities;
  let registry: TestRegistry;
  let ledgerNc: NatsConnection;
  let dockerConfig: Record<string, string>;
  let guards: GuardProcess[];
  let nc: NatsConnection;
  let ledger: TagLedger;
  let upstream: RegistryClient;
  let factory: BundleFactory;
  let built: TestBundle;
  let scratch: string;
  const dockerImages: string[] = [];
  const winners: Record<Attempt['via'], number> = { lading: 0, skopeo: 0, docker: 0 };

  beforeAll(async () => {
    identities = await startIdentities();
    const natsUrl = identities.nats.url;
    registry = await startGuardedUpstream();
    const env = identities.guardEnv();
    const first = await startGuardProcess({ natsUrl, upstreamUrl: registry.url, upstreamAccount: registry.credentials, env });
    // Replicas behind one address: bundle references name the same public host.
    const second = await startGuardProcess({ natsUrl, upstreamUrl: registry.url, publicHost: first.publicHost, upstreamAccount: registry.credentials, env });
    guards = [first, second];
    // Every publisher is the principal bob, whose namespace holds the bundle's repository.
    nc = await identities.connect('bob');
    ledgerNc = await identities.connect('test');
    ledger = await TagLedger.open(ledgerNc, { forcePrincipals: [] });
    upstream = upstreamClient(registry);
    factory = bundleFactory();
    built = await factory.build(first.host, { username: 'admin', password: identities.password('admin') });
    scratch = await scratchDir();
    // docker logs in to both front doors as bob, in a configuration of its own.
    dockerConfig = { DOCKER_CONFIG: join(scratch, 'docker-config') };
    for (const guard of guards) {
      const login = await runClient('docker', ['login', '--username', 'bob', '--password', identities.password('bob'), guard.host], dockerConfig);
      expect(login.code, login.stderr).toBe(0);
    }
  });

  afterAll(async () => {
    for (const image of dockerImages) await runClient('docker', ['rmi', '--force', image]);
    await nc?.close();
    await ledgerNc?.close();
    for (const guard of guards ?? []) await guard.stop();
    await registry?.stop();
    await identities?.stop();
    await factory?.cleanUp();
    if (scratch) await rm(scratch, { recursive: true, force: true });
    console.log(`race winners over ${rounds} rounds: ${JSON.stringify(winners)}`);
  });

  function ladingPublisher(tag: string, note: string): () => Promise<Attempt> {
    const bundle = variant(built.bundle, note);
    return async () => {
      try {
        const reply = await callEndpoint(nc, endpoints.publish, { bundle, tag: `${guards[0]!.publicHost}/${built.repository}:${tag}` }, { timeoutMs: 300_000 });
        return { via: 'lading', digest: reply.digest, won: reply.outcome === 'created', refusal: '' };
      } catch (error) {
        if (!(error instanceof RemoteFailure) || error.code !== 'conflict') throw error;
        return { via: 'lading', digest: undefined, won: false, refusal: error.message };
      }
    };
  }

  function skopeoPublisher(index: number, tag: string, layout: { dir: string; digest: string }): () => Promise<Attempt> {
    const guard = guards[index % 2]!;
    return async () => {
      const copied = await skopeoCopy(layout, `${guard.host}/${built.repository}:${tag}`, ['--dest-creds', `bob:${identities.password('bob')}`]);
      return { via: 'skopeo', digest: layout.digest, won: copied.code === 0, refusal: copied.stderr };
    };
  }

  async function dockerPublisher(index: number, tag: string): Promise<() => Promise<Attempt>> {
    const guard = guards[index % 2]!;
    const local = `lading-test-guard-race-${randomBytes(4).toString('hex')}`;
    const remote = `${guard.host}/${built.repository}:${tag}`;
    dockerImages.push(local, remote);
    await importBusyboxImage(scratch, local);
    await runClient('docker', ['tag', local, remote]);
    return async () => {
      const pushed = await runClient('docker', ['push', remote], dockerConfig);
      const digest = /digest: (sha256:[a-f0-9]{64})/.exec(pushed.stdout)?.[1];
      return { via: 'docker', digest, won: pushed.code === 0, refusal: pushed.stderr };
    };
  }

  for (let round = 1; round <= rounds; round++) {
    it(`round ${round}: exactly one publisher wins, the rest are refused, and upstream == ledger == winner`, async () => {
      const tag = `round-${round}`;
      const starters: Array<() => Promise<Attempt>> = [];
      for (let i = 0; i < dockerPublishers; i++) starters.push(await dockerPublisher(i, tag));
      for (let i = 0; i < skopeoPublishers; i++) starters.push(skopeoPublisher(i, tag, await makeOciLayout(scratch)));
      for (let i = 0; i < ladingPublishers; i++) starters.push(ladingPublisher(tag, `${round}-${i}`));

      const attempts = await Promise.all(starters.map((start) => start()));

      const won = attempts.filter((attempt) => attempt.won);
      expect(won, JSON.stringify(won)).toHaveLength(1);
      const winner = won[0]!;
      expect(winner.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
      winners[winner.via]++;
      for (const loser of attempts.filter((attempt) => !attempt.won)) {
        expect(loser.refusal).toContain(`tag ${built.repository}:${tag} already holds ${winner.digest}; publish with --force to replace it`);
      }
      expect(await ledger.getTag(built.repository, tag)).toMatchObject({ state: 'committed', digest: winner.digest });
      expect((await upstream.headManifest(built.repository, tag))?.digest).toBe(winner.digest);
    });
  }

  it('spread the NATS publish requests over both guard processes', async () => {
    const served = await Promise.all(guards.map(publishRequestsServed));
    expect(served.reduce((sum, count) => sum + count, 0)).toBe(ladingPublishers * rounds);
    for (const count of served) expect(count).toBeGreaterThan(0);
  });
});
