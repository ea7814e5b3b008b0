import http, { type IncomingMessage, type OutgoingHttpHeaders, type RequestOptions, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { sendOciError } from './oci-errors.js';
import { endToEnd, type UpstreamLink } from './upstream-link.js';

/**
 * Sends `req` on to another HTTP server and streams both bodies through: a blob passes in
 * socket-sized chunks and is never held whole in memory.
 */
export async function relay(
  target: RequestOptions,
  req: IncomingMessage,
  res: ServerResponse,
  answerHeaders: (incoming: IncomingMessage) => OutgoingHttpHeaders,
  unreachable: string,
): Promise<void> {
  const outgoing = http.request(target);
  const answered = new Promise<void>((resolve, reject) => {
    outgoing.once('response', (incoming) => {
      res.writeHead(incoming.statusCode ?? 502, answerHeaders(incoming));
      pipeline(incoming, res).then(resolve, reject);
    });
    outgoing.once('error', reject);
  });
  // A server that answers early (a challenge, an error) may stop reading the body; its answer is what counts.
  const upload = pipeline(req, outgoing).catch(() => undefined);
  try {
    await answered;
    await upload;
  } catch (error) {
    outgoing.destroy();
    sendOciError(res, 502, 'UNAVAILABLE', `${unreachable} (${(error as Error).message}); retry later`);
  }
}

/** Forwards one request to the upstream registry, with the guard's view of credentials and Locations. */
export function streamToUpstream(link: UpstreamLink, req: IncomingMessage, res: ServerResponse): Promise<void> {
  return relay(
    link.requestOptions(req.method ?? 'GET', req.url ?? '/', endToEnd(req.headers), req),
    req,
    res,
    (incoming) => link.responseHeaders(incoming.headers, req),
    'the upstream registry could not be reached',
  );
}
