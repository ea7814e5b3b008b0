import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { buckets, streams, subjects } from '@lading/contracts';
import { startNatsServer, type TestNatsServer } from '@lading/testkit';
import { natsRoles, renderNatsAuthorization, type NatsRole } from '../src/index.js';

const passwords = Object.fromEntries(natsRoles.map((role) => [role, randomBytes(12).toString('hex')])) as Record<
  NatsRole,
  string
>;

describe('NATS permissions rendered for the stack', () => {
  let server: TestNatsServer;
  const connections: NatsConnection[] = [];
  const as = async (role: NatsRole) => {
    const nc = await connect({ servers: server.url, user: role, pass: passwords[role] });
    connections.push(nc);
    return nc;
  };

  beforeAll(async () => {
    server = await startNatsServer(renderNatsAuthorization(passwords));
  });
  afterAll(async () => {
    await Promise.all(connections.map((nc) => nc.close()));
    await server?.stop();
  });

  it('lets the runner request a lease from the broker', async () => {
    const broker = await as('broker');
    const sub = broker.subscribe(subjects.broker.lease);
    void (async () => {
      for await (const message of sub) message.respond('granted');
    })();
    await broker.flush();
    const runner = await as('runner');
    const reply = await runner.request(subjects.broker.lease, 'please', { timeout: 5_000 });
    expect(reply.string()).toBe('granted');
  });

  it('refuses a lease request from the CLI at the server', async () => {
    const cli = await as('cli');
    await expect(cli.request(subjects.broker.lease, 'please', { timeout: 5_000 })).rejects.toThrow(/permission/i);
  });

  it.each(['builder', 'guard', 'broker', 'cli'] as const)('refuses a lease request from the %s user', async (role) => {
    const nc = await as(role);
    await expect(nc.request(subjects.broker.lease, 'please', { timeout: 5_000 })).rejects.toThrow(/permission/i);
  });

  it.each(['builder', 'guard', 'runner', 'cli'] as const)('does not let the %s user answer as the broker', async (role) => {
    const nc = await as(role);
    const sub = nc.subscribe('lading.broker.>');
    await nc.flush();
    expect(String(await sub.closed)).toMatch(/permission/i);
  });

  it('lets only the broker queue a run, and carries its events back to the CLI', async () => {
    const broker = await as('broker');
    const jsm = await jetstreamManager(broker);
    await jsm.streams.add({ name: streams.runs.name, subjects: [...streams.runs.subjects] });
    const ack = await jetstream(broker).publish(subjects.runs.requested, 'admitted run');
    expect(ack.stream).toBe(streams.runs.name);
    const cli = await as('cli');
    await expect(jetstream(cli, { timeout: 2_000 }).publish(subjects.runs.requested, 'run please')).rejects.toThrow(/permission|timeout|no responders/i);
    const runner = await as('runner');
    await expect(jetstreamManager(runner, { timeout: 2_000 }).then((m) => m.streams.delete(streams.runs.name))).rejects.toThrow(/permission/i);
    expect((await jsm.streams.info(streams.runs.name)).state.messages).toBe(1);

    const events = cli.subscribe(subjects.runs.events('r1'), { max: 1 });
    await cli.flush();
    runner.publish(subjects.runs.events('r1'), 'running');
    for await (const event of events) expect(event.string()).toBe('running');
  });

  it.each(['builder', 'guard', 'broker', 'cli'] as const)('refuses runner registration and run claims from the %s user', async (role) => {
    const nc = await as(role);
    await expect(nc.request(subjects.broker.runnersRegister, '{}', { timeout: 5_000 })).rejects.toThrow(/permission/i);
    await expect(nc.request(subjects.broker.runsClaim, '{}', { timeout: 5_000 })).rejects.toThrow(/permission/i);
  });

  it('does not let the CLI listen on the broker subjects', async () => {
    const cli = await as('cli');
    const sub = cli.subscribe('lading.broker.>');
    const closed = sub.closed;
    await cli.flush();
    expect(String(await closed)).toMatch(/permission/i);
  });

  it('does not let the CLI read a secret the broker stored', async () => {
    const broker = await as('broker');
    const kv = await new Kvm(jetstream(broker)).create(buckets.secrets);
    await kv.put('demo', 'ciphertext');
    expect((await kv.get('demo'))?.string()).toBe('ciphertext');

    const cli = await as('cli');
    const cliKv = await new Kvm(jetstream(cli, { timeout: 2_000 })).open(buckets.secrets);
    await expect(cliKv.get('demo')).rejects.toThrow(/permission/i);
    const jsm = await jetstreamManager(cli, { timeout: 2_000 });
    const stream = `KV_${buckets.secrets}`;
    await expect(jsm.streams.getMessage(stream, { last_by_subj: `$KV.${buckets.secrets}.demo` })).rejects.toThrow(
      /permission/i,
    );
    await expect(jsm.streams.delete(stream)).rejects.toThrow(/permission/i);
    await expect(cliKv.put('demo', 'forged')).rejects.toThrow(/permission/i);
    expect((await kv.get('demo'))?.string()).toBe('ciphertext');
  });

  it('lets everyone read the tag ledger but only the guard write it', async () => {
    const guard = await as('guard');
    const ledger = await new Kvm(jetstream(guard)).create(buckets.tags);
    await ledger.put('demo', 'sha256:1');
    const cli = await as('cli');
    const cliLedger = await new Kvm(jetstream(cli, { timeout: 2_000 })).open(buckets.tags);
    expect((await cliLedger.get('demo'))?.string()).toBe('sha256:1');
    await expect(cliLedger.put('demo', 'sha256:2')).rejects.toThrow(/permission/i);
    const jsm = await jetstreamManager(cli, { timeout: 2_000 });
    await expect(jsm.streams.purge(`KV_${buckets.tags}`)).rejects.toThrow(/permission/i);
    expect((await ledger.get('demo'))?.string()).toBe('sha256:1');
  });
});

