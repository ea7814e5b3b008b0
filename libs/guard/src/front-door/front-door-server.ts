import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DataPlaneCommand, DataPlaneEvent, DataPlaneMemory, DataPlaneSettings } from './data-plane-messages.js';
import { createRuleEngine, type FrontDoorOptions } from '../rules/rule-engine.js';
import { classifyRequest } from '../oci/oci-route.js';
import { recordServedExchange } from './front-door-telemetry.js';
import { admit, challengeFor } from '../rules/admission.js';
import { UpstreamLink } from '../upstream/upstream-link.js';

export interface FrontDoorServerOptions extends FrontDoorOptions {
  /** Port clients push to; 0 picks a free one. */
  port: number;
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** How long a request head may take to arrive, in ms. Default 10 s. */
  headerTimeoutMs?: number;
  /** Connections one client address may hold open at once. Default 512. */
  maxConnectionsPerClient?: number;
}

/** The front door's limits when the operator sets none. */
export const frontDoorDefaults = { headerTimeoutMs: 10_000, maxConnectionsPerClient: 512 } as const;

export interface FrontDoorServer {
  /** The port actually listened on. */
  readonly port: number;
  /** Settles only if the data-plane thread stops by itself: the guard is then no longer serving. */
  readonly failed: Promise<Error>;
  /** Live heap and Buffer memory of the thread blob bytes pass through. */
  dataPlaneMemory(): Promise<DataPlaneMemory>;
  /** Stops accepting connections, lets requests in flight finish, and releases everything. */
  close(): Promise<void>;
}

// Compiled, the data plane is plain JavaScript next to this module (in the library's dist and in
// the service's bundle alike); from sources its thread first needs the TypeScript loader.
const fromSources = import.meta.url.endsWith('.ts');
const entry = new URL(fromSources ? './data-plane-from-sources.mjs' : './data-plane-worker.js', import.meta.url);
const closeGraceMs = 10_000;

function listenOnSocket(app: ReturnType<typeof createRuleEngine>, socket: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(socket, (error?: Error) => (error ? reject(error) : resolve(server)));
    server.once('error', reject);
  });
}

/**
 * Serves the front door: a data-plane thread owns the public port and relays reads and blob
 * uploads straight to the upstream; the rule engine (every manifest write and delete, so every
 * tag change) runs here, in the thread that holds the ledger, behind a private Unix socket only
 * the data plane uses.
 */
export async function startFrontDoor(options: FrontDoorServerOptions): Promise<FrontDoorServer> {
  const dir = await mkdtemp(join(tmpdir(), 'lading-guard-'));
  const rulesSocket = join(dir, 'rules.sock');
  const rules = await listenOnSocket(createRuleEngine(options), rulesSocket);
  const settings: DataPlaneSettings = {
    port: options.port,
    host: options.host ?? '127.0.0.1',
    upstreamUrl: options.upstreamUrl,
    publicUrl: options.publicUrl,
    upstreamAuth: options.upstreamAuth,
    rulesSocket,
    headerTimeoutMs: options.headerTimeoutMs ?? frontDoorDefaults.headerTimeoutMs,
    maxConnectionsPerClient: options.maxConnectionsPerClient ?? frontDoorDefaults.maxConnectionsPerClient,
  };
  const link = new UpstreamLink(options);
  const worker = new Worker(entry, { workerData: { settings } });
  const command = (message: DataPlaneCommand) => worker.postMessage(message);
  const memoryWaiters = new Map<number, (memory: DataPlaneMemory) => void>();
  let nextId = 0;
  let closing = false;

  const release = async () => {
    rules.closeAllConnections();
    await new Promise<void>((resolve) => rules.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  };

  const stopped = new Promise<Error>((resolve) => {
    worker.once('error', resolve);
    worker.once('exit', (code) => resolve(new Error(`the registry guard's data plane stopped (exit code ${code})`)));
  });

  const listening = new Promise<number>((resolve) => {
    worker.on('message', (event: DataPlaneEvent) => {
      if (event.type === 'listening') resolve(event.port);
      else if (event.type === 'who') {
        const { refusal } = admit(options, event.headers, classifyRequest(event.method, event.target));
        const challenge = refusal?.status === 401 ? challengeFor(options, link, { headers: event.headers }) : undefined;
        command({ type: 'admission', id: event.id, refusal, challenge });
      } else if (event.type === 'served') {
        recordServedExchange(event.exchange);
      } else if (event.type === 'memory') {
        memoryWaiters.get(event.id)?.(event.memory);
        memoryWaiters.delete(event.id);
      }
    });
  });

  const port = await Promise.race([listening, stopped.then((error) => Promise.reject(error))]).catch(async (error: unknown) => {
    await worker.terminate();
    await release();
    throw error;
  });

  return {
    port,
    failed: new Promise<Error>((resolve) => {
      void stopped.then(async (error) => {
        if (closing) return;
        await release();
        resolve(error);
      });
    }),
    dataPlaneMemory() {
      const id = nextId++;
      return new Promise((resolve) => {
        memoryWaiters.set(id, resolve);
        command({ type: 'memory', id });
      });
    },
    async close() {
      if (closing) return;
      closing = true;
      command({ type: 'close' });
      const grace = setTimeout(() => void worker.terminate(), closeGraceMs);
      await stopped;
      clearTimeout(grace);
      await release();
    },
  };
}
