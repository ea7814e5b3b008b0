import type { Server } from 'node:http';
import express from 'express';

export interface HealthServerOptions {
  port: number;
  host?: string;
  /** Whether the service can take work now (NATS connected, its storage reachable). */
  ready: () => boolean | Promise<boolean>;
  /** Prometheus text exposition (# HELP, # TYPE) of the service's metrics. */
  metrics: () => string | Promise<string>;
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Serves /healthz (the process lives), /readyz (it can take work) and /metrics for Kubernetes probes. */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.get('/readyz', async (_request, response) => {
    const ready = await Promise.resolve(options.ready()).catch(() => false);
    response.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready' });
  });
  app.get('/metrics', async (_request, response) => {
    response.type('text/plain; version=0.0.4').send(await options.metrics());
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port, options.host ?? '127.0.0.1', (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
    listening.once('error', reject);
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
