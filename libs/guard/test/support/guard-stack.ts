import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { startNatsServer, startRegistry, type TestNatsServer, type TestRegistry } from '@lading/testkit';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { createFrontDoor, principalFromBasicAuth, TagLedger } from '../../src/index.js';

export const users = { 'release-manager': 'rm-secret', dev: 'dev-secret' };
export const forcePrincipals = ['release-manager'];

export interface Replica {
  ledger: TagLedger;
  nc: NatsConnection;
  server: Server;
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
  const app = createFrontDoor({
    upstreamUrl: registry.url,
    ledger,
    principalFrom: principalFromBasicAuth(users, 'anonymous'),
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return { ledger, nc, server, host: `127.0.0.1:${port}`, url: `http://127.0.0.1:${port}` };
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
        replica.server.closeAllConnections();
        await new Promise((resolve) => replica.server.close(resolve));
        await replica.nc.close();
      }
      await registry.stop();
      await nats.stop();
    },
  };
}
