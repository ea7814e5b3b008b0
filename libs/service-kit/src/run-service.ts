import { Svcm, type Service } from '@nats-io/services';
import type { NatsConnection } from '@nats-io/nats-core';
import { serviceNames, type ServiceRole } from '@lading/contracts';
import { initTelemetry } from '@lading/telemetry';
import { readServiceConfig } from './config.js';
import { connectToNats } from './connect.js';
import { startHealthServer } from './health-server.js';
import { createLogger } from './logger.js';
import { Counters } from './metrics.js';
import type { Logger, ServiceConfig } from './types.js';

export interface ServiceContext {
  config: ServiceConfig;
  nc: NatsConnection;
  service: Service;
  logger: Logger;
  counters: Counters;
  /** Registers cleanup to run on SIGTERM, before the NATS connection drains. */
  onShutdown(cleanup: () => Promise<void> | void): void;
}

export interface ServiceDefinition {
  role: ServiceRole;
  version: string;
  description: string;
  start(context: ServiceContext): Promise<void>;
}

/**
 * The whole life of a service process: telemetry, NATS, the service-framework registration,
 * health endpoints, and a graceful stop on SIGTERM/SIGINT (stop taking work, finish, drain).
 */
export async function runService(definition: ServiceDefinition, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = readServiceConfig(definition.role, env);
  const name = serviceNames[definition.role];
  const logger = createLogger(name);
  const telemetry = initTelemetry({ serviceName: name, spansFile: config.spansFile });
  const counters = new Counters();
  const cleanups: Array<() => Promise<void> | void> = [];

  let nc: NatsConnection;
  try {
    nc = await connectToNats({ ...config, name });
  } catch (error) {
    logger.error('cannot start', { error: (error as Error).message });
    process.exit(1);
  }
  const service = await new Svcm(nc).add({ name, version: definition.version, description: definition.description });
  await definition.start({ config, nc, service, logger, counters, onShutdown: (cleanup) => cleanups.push(cleanup) });
  const health = await startHealthServer({
    port: config.httpPort,
    host: config.httpHost,
    ready: () => !nc.isClosed() && !nc.isDraining(),
    metrics: () => counters.render(name.replaceAll('-', '_')),
  });
  logger.info('ready', { nats: config.natsUrl, healthPort: health.port });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    await service.stop().catch(() => undefined);
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
    await nc.drain().catch(() => undefined);
    await health.close();
    await telemetry.shutdown();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
