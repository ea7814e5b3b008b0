import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import type { DataPlaneCommand, DataPlaneEvent, DataPlaneSettings } from './data-plane-messages.js';
import { sendAuthenticationRequired } from './oci-errors.js';
import { parseOciRoute } from './oci-route.js';
import { relay, streamToUpstream } from './stream-proxy.js';
import { endToEnd, UpstreamLink } from './upstream-link.js';

/**
 * The front door's port, served from its own thread. Blob bytes (upload data, blob reads) go
 * straight to the upstream from here; every other request, and so every tag change, is relayed
 * to the rule engine in the main thread. This thread's heap holds little more than the HTTP
 * machinery, so the garbage a stream of blob chunks leaves is cheap to collect.
 */
const settings = (workerData as { settings: DataPlaneSettings }).settings;
const port = parentPort!;
const link = new UpstreamLink(settings);
const rulesAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const waiting = new Map<number, (principal: string | undefined) => void>();
let nextId = 0;

const send = (event: DataPlaneEvent) => port.postMessage(event);

/** Who is asking is decided in the main thread, by the same function the rule engine uses. */
function principalOf(req: IncomingMessage): Promise<string | undefined> {
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    send({ type: 'who', id, headers: req.headers });
  });
}

/** Requests whose bodies are blobs. No rule concerns them beyond who may ask: blobs are content-addressed. */
function carriesBlob(req: IncomingMessage): boolean {
  const route = parseOciRoute(req.url ?? '/');
  if (route.kind === 'upload') return req.method === 'PATCH' || req.method === 'PUT';
  if (route.kind === 'blob') return req.method === 'GET' || req.method === 'HEAD';
  return false;
}

function toRuleEngine(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = endToEnd(req.headers);
  // The rule engine builds Locations from the Host the client used.
  if (req.headers.host) headers.host = req.headers.host;
  return relay(
    { socketPath: settings.rulesSocket, method: req.method, path: req.url, headers, agent: rulesAgent },
    req,
    res,
    (incoming) => endToEnd(incoming.headers),
    'the registry guard could not reach its rule engine',
  );
}

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!carriesBlob(req)) return toRuleEngine(req, res);
  if ((await principalOf(req)) === undefined) return sendAuthenticationRequired(res);
  return streamToUpstream(link, req, res);
}

const server = http.createServer((req, res) => void serve(req, res));

port.on('message', (command: DataPlaneCommand) => {
  if (command.type === 'principal') {
    waiting.get(command.id)?.(command.principal);
    waiting.delete(command.id);
  } else if (command.type === 'memory') {
    // A full collection first, when the runtime allows it, so the figure is what is retained.
    (globalThis as { gc?: () => void }).gc?.();
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    send({ type: 'memory', id: command.id, memory: { heapUsed, arrayBuffers } });
  } else if (command.type === 'close') {
    server.close(() => {
      rulesAgent.destroy();
      link.close();
      process.exit(0);
    });
    server.closeIdleConnections();
  }
});

server.listen(settings.port, settings.host, () => {
  const address = server.address();
  send({ type: 'listening', port: typeof address === 'object' && address ? address.port : settings.port });
});
