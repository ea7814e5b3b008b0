import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { errors, type NatsConnection } from '@nats-io/nats-core';
import { jetstreamManager } from '@nats-io/jetstream';
import { endpoints, inboxPrefix, subjects } from '@lading/contracts';
import { startNatsServer, type TestNatsServer } from '@lading/testkit';
import { addPrincipal, prepareStackHome, readPrincipalPasswords, renderNatsAuthorization, stackPaths, type NatsPasswords } from '../src/internal.js';

/**
 * Every principal against every stream, bucket, endpoint and inbox, on the real nats-server with
 * the generated configuration. The expected answer of each cell is written out here, by hand,
 * from the trust model in the README — not computed from the code under test.
 */

type Who = 'admin' | 'alice' | 'builder' | 'guard' | 'broker' | 'runner';
const everyone: readonly Who[] = ['admin', 'alice', 'builder', 'guard', 'broker', 'runner'];

/** Each stream and its owner: the only principal whose JetStream API calls on it go through. */
const owners: Record<string, Who> = {
  LADING_RUNS: 'runner',
  LADING_LEASE_AUDIT: 'broker',
  LADING_TAG_AUDIT: 'guard',
  KV_lading_tags: 'guard',
  KV_lading_installations: 'runner',
  KV_lading_runs: 'runner',
  KV_lading_results: 'runner',
  KV_lading_outputs: 'runner',
  KV_lading_logs: 'runner',
  KV_lading_credential_sets: 'broker',
  KV_lading_parameter_sets: 'broker',
  KV_lading_secrets: 'broker',
  KV_lading_leases: 'broker',
  OBJ_lading_build_contexts: 'builder',
};

/** Streams one other service reads (never writes): the broker reads the runner's records. */
const readers: Record<string, Who[]> = {
  KV_lading_installations: ['broker'],
  KV_lading_runs: ['broker'],
  KV_lading_outputs: ['broker'],
  KV_lading_logs: ['broker'],
};
const readerVerbs = (stream: string) =>
  new Set([
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.STREAM.MSG.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}`,
    // Listing keys creates, checks and removes an ordered consumer of the reader's own.
    `$JS.API.CONSUMER.DELETE.${stream}.runners`,
  ]);
const isReadVerb = (subject: string, stream: string) => readerVerbs(stream).has(subject);

/** JetStream API verbs the owner of a stream may use; every other verb is nobody's. */
const ownerVerbs = (stream: string) => [
  `$JS.API.STREAM.INFO.${stream}`,
  `$JS.API.STREAM.PURGE.${stream}`,
  `$JS.API.STREAM.MSG.GET.${stream}`,
  `$JS.API.STREAM.MSG.DELETE.${stream}`,
  `$JS.API.DIRECT.GET.${stream}`,
  `$JS.API.CONSUMER.CREATE.${stream}`,
  `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.probe`,
  `$JS.API.CONSUMER.DELETE.${stream}.runners`,
];
const nobodysVerbs = (stream: string) => [
  `$JS.API.STREAM.UPDATE.${stream}`,
  `$JS.API.STREAM.DELETE.${stream}`,
  `$JS.API.STREAM.SNAPSHOT.${stream}`,
  `$JS.API.STREAM.RESTORE.${stream}`,
  `$JS.API.STREAM.PEER.REMOVE.${stream}`,
  `$JS.API.STREAM.LEADER.STEPDOWN.${stream}`,
];

/** Which endpoints each principal may call: people's, the administrator's, the runner's. */
const people = [
  'build', 'contextUpload', 'publish', 'brokerPublicKey', 'credentialsApply', 'credentialsList', 'credentialsShow', 'credentialsDelete',
  'parametersApply', 'parametersList', 'parametersShow', 'parametersDelete', 'secretsSet', 'secretsList',
  'secretsDelete', 'outputsShow', 'leaseAudit', 'installationsList', 'installationsShow', 'installationsRuns',
  'installationsOutputs', 'installationsLogs', 'runsSubmit', 'installationsDelete',
];
const mayCall: Record<Who, readonly string[]> = {
  admin: [...people, 'tagAudit', 'tagDrift', 'secretsRotateKey'],
  alice: people,
  builder: [],
  guard: [],
  // The broker has the runner forget an installation's records once it has deleted its secrets.
  broker: ['installationsForget'],
  runner: ['lease', 'brokerPublicKey', 'outputsStore', 'runnersRegister', 'runsClaim', 'runsHeartbeat', 'runsFinish'],
};

type Answer = 'allowed' | 'refused';

async function requestAnswer(nc: NatsConnection, subject: string, payload = '{}'): Promise<Answer> {
  try {
    await nc.request(subject, payload, { timeout: 1_500 });
    return 'allowed';
  } catch (error) {
    const permission =
      error instanceof errors.PermissionViolationError ||
      (error instanceof errors.RequestError && error.cause instanceof errors.PermissionViolationError) ||
      /permission/i.test(String(error));
    if (permission) return 'refused';
    // No responders or a JetStream error answer: the server let the message through.
    return 'allowed';
  }
}

async function subscribeAnswer(nc: NatsConnection, subject: string): Promise<Answer> {
  const sub = nc.subscribe(subject);
  const closed = sub.closed.then((error) => (error ? 'refused' : 'allowed'));
  await nc.flush();
  const raced = await Promise.race([closed, nc.flush().then(() => nc.flush()).then(() => 'open' as const)]);
  sub.unsubscribe();
  return raced === 'open' ? 'allowed' : (raced as Answer);
}

describe('who may do what on the bus (every principal × every stream, endpoint and inbox)', () => {
  let server: TestNatsServer;
  let dir: string;
  let passwords: NatsPasswords;
  const connections = new Map<Who, NatsConnection>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lading-permissions-'));
    const home = join(dir, 'home');
    const prepared = await prepareStackHome(home);
    await addPrincipal(home, 'alice', ['team-a'], { natsUrl: 'nats://127.0.0.1:1', frontDoor: '127.0.0.1:1' });
    passwords = { services: prepared.passwords.services, principals: await readPrincipalPasswords(stackPaths(home)) };
    server = await startNatsServer(renderNatsAuthorization(passwords));
    for (const who of everyone) {
      const password = who in passwords.services ? passwords.services[who as keyof NatsPasswords['services']] : passwords.principals[who];
      connections.set(who, await connect({ servers: server.url, user: who, pass: password, inboxPrefix: inboxPrefix(who) }));
    }
    // The owners create their streams, as the services do when they start.
    const runner = await jetstreamManager(connections.get('runner')!);
    await runner.streams.add({ name: 'LADING_RUNS', subjects: [subjects.runs.requested] });
    const guard = await jetstreamManager(connections.get('guard')!);
    await guard.streams.add({ name: 'KV_lading_tags', subjects: ['$KV.lading_tags.>'], allow_direct: true });
  });

  afterAll(async () => {
    for (const nc of connections.values()) await nc.close().catch(() => undefined);
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(everyone)('%s: JetStream API on every stream answers only its owner', async (who) => {
    const nc = connections.get(who)!;
    const got: Record<string, Answer> = {};
    const expected: Record<string, Answer> = {};
    for (const [stream, owner] of Object.entries(owners)) {
      for (const subject of ownerVerbs(stream)) {
        const reads = (readers[stream] ?? []).includes(who) && isReadVerb(subject, stream);
        expected[subject] = who === owner || reads ? 'allowed' : 'refused';
      }
      for (const subject of nobodysVerbs(stream)) expected[subject] = 'refused';
    }
    await Promise.all(Object.keys(expected).map(async (subject) => (got[subject] = await requestAnswer(nc, subject))));
    expect(got).toEqual(expected);
  });

  it.each(everyone)('%s: may not create a stream that mirrors, sources or republishes another', async (who) => {
    const nc = connections.get(who)!;
    for (const [index, stream] of Object.keys(owners).entries()) {
      const attacks = [
        { name: `ATTACK_M${index}`, mirror: { name: stream } },
        { name: `ATTACK_S${index}`, sources: [{ name: stream }] },
        { name: `ATTACK_R${index}`, subjects: [`attack.${index}`], republish: { src: '>', dest: `$KV.lading_secrets.k${index}` } },
      ];
      const answers = await Promise.all(attacks.map((config) => requestAnswer(nc, `$JS.API.STREAM.CREATE.${config.name}`, JSON.stringify(config))));
      expect(answers, stream).toEqual(['refused', 'refused', 'refused']);
    }
  });

  it.each(everyone)('%s: writes to a bucket only when it owns it', async (who) => {
    const nc = connections.get(who)!;
    for (const [stream, owner] of Object.entries(owners)) {
      if (!stream.startsWith('KV_')) continue;
      const bucket = stream.slice(3);
      expect(await requestAnswer(nc, `$KV.${bucket}.probe`, 'forged'), `${who} → ${bucket}`).toBe(who === owner ? 'allowed' : 'refused');
    }
    for (const subject of ['$O.lading_build_contexts.C.x', '$O.lading_build_contexts.M.x']) {
      // Build contexts reach the builder through its contextUpload endpoint: only it writes the store.
      const expected = who === 'builder' ? 'allowed' : 'refused';
      expect(await requestAnswer(nc, subject, 'x'), `${who} → ${subject}`).toBe(expected);
    }
  });

  it.each(everyone)('%s: calls exactly the endpoints its role needs', async (who) => {
    const nc = connections.get(who)!;
    const got: Record<string, Answer> = {};
    const expected: Record<string, Answer> = {};
    await Promise.all(
      Object.entries(endpoints).map(async ([name, endpoint]) => {
        got[name] = await requestAnswer(nc, endpoint.subject);
        expected[name] = mayCall[who].includes(name) ? 'allowed' : 'refused';
      }),
    );
    expect(got).toEqual(expected);
  });

  it.each(everyone)('%s: listens to no one else’s inbox, requests or events', async (who) => {
    const nc = connections.get(who)!;
    const others = everyone.filter((other) => other !== who);
    expect(await subscribeAnswer(nc, '_INBOX.>')).toBe('refused');
    expect(await subscribeAnswer(nc, '>')).toBe('refused');
    for (const other of others) expect(await subscribeAnswer(nc, `${inboxPrefix(other)}.>`), other).toBe('refused');
    expect(await subscribeAnswer(nc, `${inboxPrefix(who)}.>`)).toBe('allowed');
    expect(await subscribeAnswer(nc, subjects.runs.events('someone-else', 'r1'))).toBe(who === 'admin' ? 'allowed' : 'refused');
    const ownEvents = who === 'admin' || who === 'alice' ? 'allowed' : 'refused';
    expect(await subscribeAnswer(nc, subjects.runs.eventsOf(who))).toBe(ownEvents);
    expect(await subscribeAnswer(nc, 'lading.broker.>')).toBe('refused');
    expect(await subscribeAnswer(nc, '$KV.lading_secrets.>')).toBe('refused');
  });

  it.each(everyone)('%s: publishes no run event and no work item it should not', async (who) => {
    const nc = connections.get(who)!;
    expect(await requestAnswer(nc, subjects.runs.events('alice', 'r1'))).toBe(who === 'runner' ? 'allowed' : 'refused');
    // Only the broker queues a run, once it has admitted it; people ask the broker.
    expect(await requestAnswer(nc, subjects.runs.requested)).toBe(who === 'broker' ? 'allowed' : 'refused');
    expect(await requestAnswer(nc, 'lading.audit.tags')).toBe(who === 'guard' ? 'allowed' : 'refused');
    expect(await requestAnswer(nc, 'lading.audit.leases')).toBe(who === 'broker' ? 'allowed' : 'refused');
  });

  it('stamps a person’s request with who made it, overwriting a forged stamp', async () => {
    const broker = connections.get('broker')!;
    const seen: string[] = [];
    const sub = broker.subscribe(endpoints.secretsList.subject, {
      callback: (_error, message) => {
        seen.push(message.headers?.get('Nats-Request-Info') ?? '');
        message.respond('{}');
      },
    });
    await broker.flush();
    const alice = connections.get('alice')!;
    const { headers } = await import('@nats-io/nats-core');
    const forged = headers();
    forged.set('Nats-Request-Info', JSON.stringify({ acc: 'PEOPLE', user: 'admin' }));
    await alice.request(endpoints.secretsList.subject, '{}', { timeout: 3_000, headers: forged });
    sub.unsubscribe();
    expect(JSON.parse(seen[0]!)).toMatchObject({ acc: 'PEOPLE', user: 'alice' });
  });
});
