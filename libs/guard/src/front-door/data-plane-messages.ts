import type { IncomingHttpHeaders } from 'node:http';
import type { AccessRefusal } from '../rules/registry-access.js';

/** What the data-plane thread needs to serve the front door's port. */
export interface DataPlaneSettings {
  port: number;
  host: string;
  upstreamUrl: string;
  publicUrl?: string;
  upstreamAuth?: { username: string; password: string };
  /** Unix socket of the rule engine (the express front door) in the main thread. */
  rulesSocket: string;
  /** A request head must be complete this long after it began (after the connection opened, for the first). */
  headerTimeoutMs: number;
  /** Connections one client address may hold open at once; more are refused. */
  maxConnectionsPerClient: number;
}

export interface DataPlaneMemory {
  heapUsed: number;
  arrayBuffers: number;
}

/** Data plane → main thread. */
export type DataPlaneEvent =
  | { type: 'listening'; port: number }
  | { type: 'who'; id: number; headers: IncomingHttpHeaders; method: string; target: string }
  | { type: 'memory'; id: number; memory: DataPlaneMemory }
  | { type: 'served'; exchange: ServedExchange };

/** One front-door request as its span and metrics record it: no path, header or body beyond these. */
export interface ServedExchange {
  method: string;
  target: string;
  status: number;
  requestBytes: number;
  responseBytes: number;
  /** Epoch milliseconds. */
  startedAt: number;
  endedAt: number;
  /** The client's W3C trace context, when it sent one. */
  traceparent?: string;
  tracestate?: string;
}

/** Main thread → data plane. */
export type DataPlaneCommand =
  /** The request may go on, or is refused (no principal: 401). */
  | { type: 'admission'; id: number; refusal: AccessRefusal | undefined; challenge: string | undefined }
  | { type: 'memory'; id: number }
  | { type: 'close' };
