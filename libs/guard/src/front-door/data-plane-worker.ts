import type { IncomingHttpHeaders } from 'node:http';
import net, { type Socket } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { answerAndClose, maxHeadBytes, relayAnswer, relayExchange, type ExchangeContext, type ExchangeOutcome, type Verdict } from '../relay/relay-exchange.js';
import type { DataPlaneCommand, DataPlaneEvent, DataPlaneSettings } from './data-plane-messages.js';
import { couldStartRequest, field, MalformedHeadError, parseRequestHead, type RequestHead } from '../relay/http1/head.js';
import { SocketReader } from '../relay/http1/socket-reader.js';
import { ConnectionCap } from '../relay/connection-cap.js';
import { HeadDeadline } from '../relay/head-deadline.js';
import { UpstreamLink } from '../upstream/upstream-link.js';

/**
 * The front door's port, served from its own thread. Reads and blob uploads are relayed
 * straight to the upstream from here, byte for byte; manifest writes and deletes, and so every
 * tag change, are relayed to the rule engine in the main thread. This thread's heap is small and
 * a blob chunk is never copied or re-framed, so a push costs little more than the extra hop.
 */
const settings = (workerData as { settings: DataPlaneSettings }).settings;
const port = parentPort!;
/** A connection waiting this long for its next request is closed, as node:http's keep-alive does. */
const idleTimeoutMs = 30_000;
const waiting = new Map<number, (verdict: Verdict) => void>();
const idle = new Set<Socket>();
let nextId = 0;
let draining = false;

const send = (event: DataPlaneEvent) => port.postMessage(event);

const context: ExchangeContext = {
  link: new UpstreamLink(settings),
  rulesSocket: settings.rulesSocket,
  /** Who is asking and what they may do is decided in the main thread, by the rule engine's own functions. */
  admit(headers: IncomingHttpHeaders, method: string, target: string): Promise<Verdict> {
    const id = nextId++;
    return new Promise((resolve) => {
      waiting.set(id, resolve);
      send({ type: 'who', id, headers, method, target });
    });
  },
};

const cap = new ConnectionCap(settings.maxConnectionsPerClient);

/** Relays one exchange and tells the main thread what it was, for the request's span and the front door's metrics. */
async function observed(request: RequestHead, client: Socket, reader: SocketReader): Promise<boolean> {
  const outcome: ExchangeOutcome = {};
  const startedAt = Date.now();
  const [read, written] = [client.bytesRead, client.bytesWritten];
  const report = () =>
    send({
      type: 'served',
      exchange: {
        method: request.method,
        target: request.target,
        status: outcome.status ?? 0,
        requestBytes: client.bytesRead - read,
        responseBytes: client.bytesWritten - written,
        startedAt,
        endedAt: Date.now(),
        traceparent: field(request, 'traceparent'),
        tracestate: field(request, 'tracestate'),
      },
    });
  try {
    return await relayExchange(request, client, reader, context, outcome);
  } finally {
    report();
  }
}

async function serveConnection(client: Socket): Promise<void> {
  client.setNoDelay(true);
  client.on('error', () => client.destroy());
  if (!cap.admit(client)) {
    const message = `this client already has ${cap.perClient} connections open to the registry guard; reuse them or close some`;
    answerAndClose(client, relayAnswer(429, 'TOOMANYREQUESTS', message));
    return;
  }
  const reader = new SocketReader(client);
  const deadline = new HeadDeadline(client, settings.headerTimeoutMs);
  // The first head is due from the moment the connection opens, later ones from their first byte.
  deadline.start();
  try {
    while (!draining) {
      idle.add(client);
      client.setTimeout(idleTimeoutMs, () => client.destroy());
      const head = await reader.readHead(maxHeadBytes, couldStartRequest, () => deadline.start());
      deadline.stop();
      client.setTimeout(0);
      idle.delete(client);
      if (!head || deadline.expired) break;
      if (!(await observed(parseRequestHead(head), client, reader))) break;
    }
    if (!deadline.expired) client.end();
  } catch (error) {
    if (deadline.expired) return;
    if (error instanceof MalformedHeadError) {
      const message =
        error.status === 502 ? `the registry's answer could not be read (${error.message}); retry later` : `${error.message}; send a well-formed HTTP/1.1 request`;
      answerAndClose(client, relayAnswer(error.status, error.status === 502 ? 'UNAVAILABLE' : 'UNSUPPORTED', message));
    } else {
      client.destroy();
    }
  } finally {
    idle.delete(client);
  }
}

// Half-open like node:http: a client may send its last request and close its side at once.
const server = net.createServer({ allowHalfOpen: true }, (client) => void serveConnection(client));

port.on('message', (command: DataPlaneCommand) => {
  if (command.type === 'admission') {
    waiting.get(command.id)?.({ refusal: command.refusal, challenge: command.challenge });
    waiting.delete(command.id);
  } else if (command.type === 'memory') {
    // A full collection first, when the runtime allows it, so the figure is what is retained.
    (globalThis as { gc?: () => void }).gc?.();
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    send({ type: 'memory', id: command.id, memory: { heapUsed, arrayBuffers } });
  } else if (command.type === 'close') {
    // Requests in flight finish; connections waiting for their next request are closed now.
    draining = true;
    server.close(() => process.exit(0));
    for (const socket of idle) socket.destroy();
  }
});

server.listen(settings.port, settings.host, () => {
  const address = server.address();
  send({ type: 'listening', port: typeof address === 'object' && address ? address.port : settings.port });
});
