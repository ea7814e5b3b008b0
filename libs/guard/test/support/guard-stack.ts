import { startNatsServer, startRegistry, type TestNatsServer, type TestRegistry } from '@lading/testkit';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { principalFromBasicAuth, startFrontDoor, TagLedger, type FrontDoorServer } from '../../src/internal.js';
import { openAccess } from './open-access.js';

export const users = { 'release-manager': 'rm-secret', dev: 'dev-secret' };
export const forcePrincipals = ['release-manager'];

export interface Replica {
  ledger: TagLedger;
  nc: NatsConnection;
  frontDoor: FrontDoorServer;
  /** host:port, as used in image references. */
  host: string;
  url: string;
}

export interface GuardStack {
  nats: TestNatsServer;
  registry: TestRegistry;
  replicas: Replica[];
  stop(): Promise<void>;
}

export async function startReplica(nats: TestNatsServer, registry: TestRegistry, instanceId: string): Promise<Replica> {
  const nc = await connect({ servers: nats.url });
  const ledger = await TagLedger.open(nc, { instanceId, forcePrincipals });
  const frontDoor = await startFrontDoor({
    upstreamUrl: registry.url,
    ledger,
    principalFrom: principalFromBasicAuth(users, 'anonymous'),
      access: openAccess,
    port: 0,
  });
  const host = `127.0.0.1:${frontDoor.port}`;
  return { ledger, nc, frontDoor, host, url: `http://${host}` };
}

/** Real NATS, real docker-registry and `count` guard replicas sharing both. */
export async function startGuardStack(count = 1): Promise<GuardStack> {
  const nats = await startNatsServer();
  const registry = await startRegistry();
  const replicas: Replica[] = [];
  for (let i = 0; i < count; i++) replicas.push(await startReplica(nats, registry, `guard-${i}`));
  return {
    nats,
    registry,
    replicas,
    async stop() {
      for (const replica of replicas) {
        await replica.frontDoor.close();
        await replica.nc.close();
      }
      await registry.stop();
      await nats.stop();
    },
  };
}
