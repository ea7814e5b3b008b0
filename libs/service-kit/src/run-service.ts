import { hostname } from 'node:os';
import { Svcm, type Service } from '@nats-io/services';
import type { NatsConnection } from '@nats-io/nats-core';
import { serviceNames, type ServiceRole } from '@lading/contracts';
import { isCodedError } from '@lading/contracts/errors';
import { initTelemetry } from '@lading/telemetry/init';
import { readServiceConfig } from './config.js';
import { connectToNats } from './connect.js';
import { startHealthServer } from './health-server.js';
import { createLogger } from './logger.js';
import type { Logger, ServiceConfig } from './types.js';

export interface ServiceContext {
  config: ServiceConfig;
  nc: NatsConnection;
  service: Service;
  logger: Logger;
  /** Registers cleanup to run on SIGTERM, before the NATS connection drains. */
  onShutdown(cleanup: () => Promise<void> | void): void;
}

export interface ServiceDefinition {
  role: ServiceRole;
  version: string;
  description: string;
  /** What tells this process apart from others of its service (service.instance.id); host and pid by default. */
  instanceId?(env: NodeJS.ProcessEnv): Promise<string>;
  start(context: ServiceContext): Promise<void>;
}

/**
 * The whole life of a service process: telemetry, NATS, the service-framework registration,
 * health endpoints, and a graceful stop on SIGTERM/SIGINT (stop taking work, finish, drain,
 * then export the spans and metrics still batched).
 */
export async function runService(definition: ServiceDefinition, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const name = serviceNames[definition.role];
  const logger = createLogger(name);
  // A setting the service cannot use stops it here, before it connects to anything, in one line.
  const cannotStart = (error: unknown): never => {
    logger.error('cannot start', { error: isCodedError(error) ? error.message : String((error as Error)?.stack ?? error) });
    process.exit(1);
  };
  let config: ServiceConfig;
  try {
    config = readServiceConfig(definition.role, env);
  } catch (error) {
    return cannotStart(error);
  }
  const telemetry = await (async () => {
    const instanceId = definition.instanceId ? await definition.instanceId(env) : `${hostname()}-${process.pid}`;
    return initTelemetry({ serviceName: name, serviceVersion: definition.version, instanceId, spansFile: config.spansFile, env });
  })().catch((error: Error) => {
    logger.error('cannot start', { error: error.message });
    process.exit(1);
  });
  const cleanups: Array<() => Promise<void> | void> = [];

  let nc: NatsConnection;
  try {
    nc = await connectToNats({ ...config, name });
  } catch (error) {
    logger.error('cannot start', { error: (error as Error).message });
    await telemetry.shutdown().catch(() => undefined);
    process.exit(1);
  }
  const service = await new Svcm(nc).add({ name, version: definition.version, description: definition.description });
  await definition.start({ config, nc, service, logger, onShutdown: (cleanup) => cleanups.push(cleanup) }).catch(cannotStart);
  const health = await startHealthServer({
    port: config.httpPort,
    host: config.httpHost,
    ready: () => !nc.isClosed() && !nc.isDraining(),
    metrics: () => telemetry.prometheusText(),
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
    await telemetry.shutdown().catch(() => undefined);
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
