import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGuardStack, users, type GuardStack } from './support/guard-stack.js';
import { importBusyboxImage, makeOciLayout, runClient, scratchDir, skopeoCopy, type OciLayout } from './support/clients.js';
import { forceHeader } from '../src/internal.js';
import { basicAuth, imageManifest, pushImageBlobs, putManifest, upstreamDigest, type ImageBlobs } from './support/oci-http.js';

const publishers = Number(process.env.LADING_RACE_PUBLISHERS ?? 20);
const rounds = Number(process.env.LADING_RACE_ROUNDS ?? 3);
const skopeoPublishers = Math.min(3, Math.floor(publishers / 4));
const dockerPublishers = publishers >= 8 ? 2 : 0;
const httpPublishers = publishers - skopeoPublishers - dockerPublishers;

interface Attempt {
  via: string;
  digest: string | undefined;
  won: boolean;
  refusal: string;
}

describe(`${publishers} concurrent publishers to one tag across two guard replicas, ${rounds} rounds`, () => {
  let stack: GuardStack;
  let blobs: ImageBlobs;
  let scratch: string;
  const images: string[] = [];
  const repo = 'race/app';

  beforeAll(async () => {
    stack = await startGuardStack(2);
    blobs = await pushImageBlobs(stack.replicas[0]!.url, repo);
    scratch = await scratchDir();
  });
  afterAll(async () => {
    for (const image of images) await runClient('docker', ['rmi', '--force', image]);
    await stack?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  async function dockerPublisher(index: number, tag: string): Promise<() => Promise<Attempt>> {
    const replica = stack.replicas[index % 2]!;
    const local = `lading-test-guard-race-${randomBytes(4).toString('hex')}`;
    const remote = `${replica.host}/${repo}:${tag}`;
    images.push(local, remote);
    await importBusyboxImage(scratch, local);
    await runClient('docker', ['tag', local, remote]);
    return async () => {
      const pushed = await runClient('docker', ['push', remote]);
      const digest = /digest: (sha256:[a-f0-9]{64})/.exec(pushed.stdout)?.[1];
      return { via: 'docker', digest, won: pushed.code === 0, refusal: pushed.stderr };
    };
  }

  function skopeoPublisher(index: number, tag: string, layout: OciLayout): () => Promise<Attempt> {
    const replica = stack.replicas[index % 2]!;
    return async () => {
      const copied = await skopeoCopy(layout, `${replica.host}/${repo}:${tag}`);
      return { via: 'skopeo', digest: layout.digest, won: copied.code === 0, refusal: copied.stderr };
    };
  }

  function httpPublisher(index: number, tag: string): () => Promise<Attempt> {
    const replica = stack.replicas[index % 2]!;
    const manifest = imageManifest(blobs);
    return async () => {
      const answer = await putManifest(replica.url, repo, tag, manifest.bytes);
      if (answer.status !== 201 && answer.status !== 409) throw new Error(`unexpected ${answer.status}: ${answer.body}`);
      return { via: 'http', digest: manifest.digest, won: answer.status === 201, refusal: answer.body };
    };
  }

  for (let round = 1; round <= rounds; round++) {
    it(`round ${round}: exactly one publisher wins and upstream, ledger and winner agree`, async () => {
      const tag = `round-${round}`;
      const starters: Array<() => Promise<Attempt>> = [];
      for (let i = 0; i < dockerPublishers; i++) starters.push(await dockerPublisher(i, tag));
      for (let i = 0; i < skopeoPublishers; i++) starters.push(skopeoPublisher(i, tag, await makeOciLayout(scratch)));
      for (let i = 0; i < httpPublishers; i++) starters.push(httpPublisher(i, tag));

      const attempts = await Promise.all(starters.map((start) => start()));

      const winners = attempts.filter((attempt) => attempt.won);
      expect(winners).toHaveLength(1);
      for (const loser of attempts.filter((attempt) => !attempt.won)) {
        expect(loser.refusal).toContain(`tag ${repo}:${tag} already holds ${winners[0]!.digest}; publish with --force to replace it`);
      }
      const ledgerDigests = await Promise.all(stack.replicas.map(async (replica) => (await replica.ledger.getTag(repo, tag))?.digest));
      expect(ledgerDigests).toEqual([winners[0]!.digest, winners[0]!.digest]);
      expect(await upstreamDigest(stack.registry.url, repo, tag)).toBe(winners[0]!.digest);
    });
  }

  it('forced publishers racing each other are serialised: upstream and ledger agree and every replace is audited in order', async () => {
    const tag = 'forced';
    const authorization = basicAuth('release-manager', users['release-manager']);
    const manifests = Array.from({ length: Math.min(publishers, 20) }, () => imageManifest(blobs));
    const answers = await Promise.all(
      manifests.map((manifest, i) =>
        putManifest(stack.replicas[i % 2]!.url, repo, tag, manifest.bytes, { authorization, [forceHeader]: 'true' }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(manifests.map(() => 201));
    expect(answers.filter((answer) => answer.headers['x-lading-outcome'] === 'created')).toHaveLength(1);

    const audit = (await stack.replicas[0]!.ledger.listTagAudit()).filter((entry) => entry.tag === tag);
    expect(audit).toHaveLength(manifests.length - 1);
    for (let i = 1; i < audit.length; i++) expect(audit[i]!.oldDigest).toBe(audit[i - 1]!.newDigest);
    const last = audit.at(-1)!.newDigest;
    expect((await stack.replicas[1]!.ledger.getTag(repo, tag))?.digest).toBe(last);
    expect(await upstreamDigest(stack.registry.url, repo, tag)).toBe(last);
  });
});
