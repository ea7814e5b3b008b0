import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { NatsConnection } from '@nats-io/nats-core';
import { connectToNats } from '@lading/service-kit/client';
import { addPrincipal, prepareStackHome, readPrincipalPasswords, recordStack, renderNatsAuthorization, stackPaths, type NatsRole } from '@lading/stack/internal';
import { freePort, startNatsServer, startProcess, startRegistry, waitForPort, type RunningProcess, type TestNatsServer, type TestRegistry } from '@lading/testkit';

const appsDir = resolve(import.meta.dirname, '../..');

export interface ServiceProcess {
  readonly process: RunningProcess;
  readonly spansFile: string;
  stop(): Promise<void>;
}

/**
 * A nats-server with the real per-role users and permissions, and the real broker (and, when a
 * test needs it, runner) processes on it. Everything lives under one temporary directory, which
 * also serves as a LADING_HOME whose stack file lets the real `lading` CLI talk to this server.
 */
export interface BrokerFixture {
  readonly nats: TestNatsServer;
  readonly dir: string;
  readonly home: string;
  readonly brokerKeyFile: string;
  readonly storeKeyFile: string;
  /** The registry the broker reads bundle.json from, when the fixture was asked for one. */
  readonly registry?: TestRegistry;
  /** Connects as a service, the administrator, or a principal the fixture was asked to add. */
  connect(role: NatsRole | string): Promise<NatsConnection>;
  startBroker(extraEnv?: Record<string, string>): Promise<ServiceProcess>;
  startRunner(): Promise<ServiceProcess>;
  /** Stops every process and connection still running and removes the directories. */
  close(): Promise<void>;
}

export async function startBrokerFixture(
  options: { registry?: boolean; principals?: Record<string, string[]> } = {},
): Promise<BrokerFixture> {
  const registry = options.registry ? await startRegistry() : undefined;
  const dir = await mkdtemp(join(tmpdir(), 'lading-broker-test-'));
  const home = join(dir, 'home');
  const paths = stackPaths(home);
  const prepared = await prepareStackHome(home);
  const nowhere = { natsUrl: 'nats://127.0.0.1:1', frontDoor: '127.0.0.1:1' };
  for (const [name, namespaces] of Object.entries(options.principals ?? {})) await addPrincipal(home, name, namespaces, nowhere);
  const passwords = { services: prepared.passwords.services, principals: await readPrincipalPasswords(paths) };
  const nats = await startNatsServer(renderNatsAuthorization(passwords));
  await recordStack(home, passwords, { natsUrl: nats.url, frontDoor: '127.0.0.1:1', upstream: 'http://127.0.0.1:1' });
  const passwordOf = (role: string) => passwords.services[role as keyof typeof passwords.services] ?? passwords.principals[role];

  const connections: NatsConnection[] = [];
  const processes: ServiceProcess[] = [];

  async function startService(role: 'broker' | 'runner', extraEnv: Record<string, string>): Promise<ServiceProcess> {
    const httpPort = await freePort();
    const spansFile = join(dir, `spans-${role}-${processes.length}.jsonl`);
    const app = role === 'broker' ? 'secret-broker' : 'runner';
    const running = startProcess(process.execPath, ['--import', 'tsx', join(appsDir, app, 'src', 'main.ts')], {
      ...process.env,
      LADING_NATS_URL: nats.url,
      LADING_NATS_USER: role,
      LADING_NATS_PASSWORD_FILE: paths.passwordFile(role),
      LADING_HTTP_PORT: String(httpPort),
      LADING_STATE_DIR: paths.stateDir(role),
      LADING_SPANS_FILE: spansFile,
      LADING_PRINCIPALS_FILE: paths.principalsFile,
      ...(registry ? { LADING_REGISTRY: registry.host } : {}),
      ...extraEnv,
    });
    const exited = new Promise<never>((_, reject) =>
      running.child.once('exit', (code) => reject(new Error(`the ${role} exited (${code}) before it was ready: ${running.output()}`))),
    );
    await Promise.race([waitForPort(httpPort, '127.0.0.1', 1200), exited]);
    exited.catch(() => undefined);
    const service = { process: running, spansFile, stop: () => running.stop() };
    processes.push(service);
    return service;
  }

  return {
    nats,
    dir,
    home,
    brokerKeyFile: paths.brokerKey,
    storeKeyFile: paths.storeKey,
    registry,
    async connect(role) {
      const nc = await connectToNats({ natsUrl: nats.url, natsUser: role, natsPassword: passwordOf(role), name: `test-${role}` });
      connections.push(nc);
      return nc;
    },
    startBroker: (extraEnv = {}) =>
      startService('broker', { LADING_BROKER_KEY_FILE: paths.brokerKey, LADING_STORE_KEY_FILE: paths.storeKey, ...extraEnv }),
    startRunner: () => startService('runner', { LADING_REGISTRY: '127.0.0.1:1', LADING_RUNNER_ID: 'runner-1' }),
    async close() {
      for (const nc of connections) await nc.close().catch(() => undefined);
      for (const service of processes) await service.stop();
      await nats.stop();
      await registry?.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
