import type { IncomingHttpHeaders } from 'node:http';
import { STATUS_CODES } from 'node:http';
import net, { type Socket } from 'node:net';
import { requestFraming, responseFraming } from './http1/framing.js';
import { asIncomingHeaders, field, fieldValues, MalformedHeadError, parseResponseHead, writeHead, type MessageHead, type RequestHead } from './http1/head.js';
import { SocketReader } from './http1/socket-reader.js';
import { basicChallenge, ociErrorBody } from '../oci/oci-errors.js';
import type { AccessRefusal } from '../rules/registry-access.js';
import { classifyRequest, type OciAction } from '../oci/oci-route.js';
import { connectionScopedFields, type UpstreamLink } from '../upstream/upstream-link.js';
import { CodedError } from '@lading/contracts/errors';

export const maxHeadBytes = 64 * 1024;

/** The exchange failed after its answer started: the client's connection can only be cut. */
export class BrokenExchangeError extends CodedError {
  constructor(cause: Error) {
    super('upstream_failed', `the answer could not be forwarded: ${cause.message}`, { cause });
  }
}

/** What the front door's request span and metrics say of one exchange: the status answered. */
export interface ExchangeOutcome {
  status?: number;
}

export interface ExchangeContext {
  link: UpstreamLink;
  rulesSocket: string;
  /** Whether the request may go on; if not, why (a 401 carries the challenge to send). */
  admit(headers: IncomingHttpHeaders, method: string, target: string): Promise<Verdict>;
}

export interface Verdict {
  refusal: AccessRefusal | undefined;
  challenge: string | undefined;
}

/** A complete answer the relay makes itself; it always closes the connection after it. */
export function relayAnswer(status: number, code: string, message: string, extra: Array<[string, string]> = []): Buffer {
  const body = ociErrorBody(code, message);
  const head = writeHead(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`, [
    ['Content-Type', 'application/json; charset=utf-8'],
    ['Content-Length', String(Buffer.byteLength(body))],
    ['Connection', 'close'],
    ...extra,
  ]);
  return Buffer.concat([head, Buffer.from(body)]);
}

/** How long a connection answered early is still read and dropped before it is cut. */
const lingerMs = 2_000;

/**
 * Sends a final answer and closes the connection without losing the answer: closing a socket
 * with unread bytes resets it, and a reset can overtake the answer, so what the client still
 * sends is read and dropped for a moment first.
 */
export function answerAndClose(client: Socket, answer: Buffer): void {
  client.end(answer);
  client.on('data', () => undefined);
  client.resume();
  setTimeout(() => client.destroy(), lingerMs).unref();
}

/**
 * Requests that change no tag and delete no content go straight to the upstream: reads, blob
 * uploads (content-addressed) and upload sessions. Manifest writes and every delete of content
 * go to the rule engine, as do paths that are not valid OCI routes, which it refuses.
 */
const relayedActions: ReadonlySet<OciAction> = new Set(['read', 'upload', 'cancel-upload']);

function endToEndFields(head: MessageHead): Array<[string, string]> {
  const named = new Set(fieldValues(head, 'connection').flatMap((value) => value.split(',').map((name) => name.trim().toLowerCase())));
  return head.fields.filter(([name]) => !connectionScopedFields.has(name.toLowerCase()) && !named.has(name.toLowerCase()));
}

function wantsKeepAlive(request: RequestHead): boolean {
  const connection = (field(request, 'connection') ?? '').toLowerCase();
  return request.version === 'HTTP/1.1' ? !connection.includes('close') : connection.includes('keep-alive');
}

function connectTo(toUpstream: boolean, context: ExchangeContext): Promise<Socket> {
  const { origin } = context.link;
  const socket = toUpstream ? net.connect(Number(origin.port || 80), origin.hostname) : net.connect(context.rulesSocket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/**
 * Relays one request from the client to the upstream (reads, blob uploads) or to the rule
 * engine (tag writes and deletes) and its answer back, forwarding both bodies as they arrive, framing and all.
 * Each exchange uses a fresh backend connection, closed after it. Resolves whether the client's
 * connection may carry another request.
 */
export async function relayExchange(
  request: RequestHead,
  client: Socket,
  reader: SocketReader,
  context: ExchangeContext,
  outcome: ExchangeOutcome = {},
): Promise<boolean> {
  const framing = requestFraming(request);
  const clientHeaders = asIncomingHeaders(request);
  const toUpstream = relayedActions.has(classifyRequest(request.method, request.target).action);
  const verdict = toUpstream ? await context.admit(clientHeaders, request.method, request.target) : undefined;
  const refused = verdict?.refusal;
  if (refused?.status === 401) {
    answerAndClose(client, relayAnswer((outcome.status = 401), 'UNAUTHORIZED', refused.message, [['WWW-Authenticate', verdict?.challenge ?? basicChallenge]]));
    return false;
  }
  if (refused) {
    answerAndClose(client, relayAnswer((outcome.status = 403), 'DENIED', refused.message));
    return false;
  }
  // The relay reads the body whatever the backend would say, so it answers the client's wait itself.
  if ((field(request, 'expect') ?? '').toLowerCase() === '100-continue') client.write('HTTP/1.1 100 Continue\r\n\r\n');

  let backend: Socket;
  try {
    backend = await connectTo(toUpstream, context);
  } catch (error) {
    const what = toUpstream ? 'the upstream registry could not be reached' : 'the registry guard could not reach its rule engine';
    answerAndClose(client, relayAnswer((outcome.status = 502), 'UNAVAILABLE', `${what} (${(error as Error).message}); retry later`));
    return false;
  }
  backend.setNoDelay(true);
  const closeBackend = () => backend.destroy();
  client.once('close', closeBackend);
  try {
    const fields = endToEndFields(request).filter(([name]) => !toUpstream || !['host', 'authorization'].includes(name.toLowerCase()));
    if (toUpstream) {
      fields.push(['Host', context.link.origin.host]);
      const authorization = context.link.authorizationFor({ headers: clientHeaders });
      if (authorization) fields.push(['Authorization', authorization]);
    }
    // No `Connection: close`: a server told to close may do so before reading a body it has
    // refused, and the reset that follows can lose its answer. The relay closes after the answer.
    backend.write(writeHead(request.startLine, fields));

    const answers = new SocketReader(backend);
    let uploaded = false;
    let refusedBody: MalformedHeadError | undefined;
    const upload = reader.pipeBody(framing, backend).then(
      () => (uploaded = true),
      (error: unknown) => {
        if (error instanceof MalformedHeadError) refusedBody = error;
        backend.destroy();
      },
    );

    let head = await answers.readHead(maxHeadBytes);
    let response = head ? parseResponseHead(head) : undefined;
    // Interim answers are dropped: the relay has already told the client to go on.
    while (response && response.status < 200) {
      head = await answers.readHead(maxHeadBytes);
      response = head ? parseResponseHead(head) : undefined;
    }
    if (!response) {
      // A body the relay could not frame was cut off before the backend could answer it.
      if (refusedBody) answerAndClose(client, relayAnswer((outcome.status = refusedBody.status), 'UNSUPPORTED', refusedBody.message));
      else answerAndClose(client, relayAnswer((outcome.status = 502), 'UNAVAILABLE', 'the registry answered nothing; retry later'));
      return false;
    }
    const answerFraming = responseFraming(response, request.method);
    const reusable = wantsKeepAlive(request) && answerFraming.kind !== 'close';
    const answerFields = endToEndFields(response).flatMap(([name, value]): Array<[string, string]> => {
      const lower = name.toLowerCase();
      if (toUpstream && lower === 'location') return [[name, context.link.rewriteLocation(value, { headers: clientHeaders })]];
      if (toUpstream && lower === 'www-authenticate' && context.link.holdsCredentials) return [];
      return [[name, value]];
    });
    answerFields.push(['Connection', reusable ? 'keep-alive' : 'close']);
    outcome.status = response.status;
    client.write(writeHead(response.startLine, answerFields));
    try {
      await answers.pipeBody(answerFraming, client);
    } catch (error) {
      throw new BrokenExchangeError(error as Error);
    }
    void upload;
    // An answer that came before the whole body was read leaves the rest unread: start afresh.
    return reusable && uploaded;
  } finally {
    client.off('close', closeBackend);
    backend.destroy();
  }
}
