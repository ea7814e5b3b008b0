import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { sendOciError } from './oci/oci-errors.js';
import { endToEnd, type UpstreamLink } from './upstream/upstream-link.js';

/**
 * Forwards one request to the upstream and streams both bodies through: a blob passes in
 * socket-sized chunks and is never held whole in memory.
 */
export async function streamToUpstream(link: UpstreamLink, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const outgoing = http.request(link.requestOptions(req.method ?? 'GET', req.url ?? '/', endToEnd(req.headers), req));
  const answered = new Promise<void>((resolve, reject) => {
    outgoing.once('response', (incoming) => {
      res.writeHead(incoming.statusCode ?? 502, link.responseHeaders(incoming.headers, req));
      pipeline(incoming, res).then(resolve, reject);
    });
    outgoing.once('error', reject);
  });
  // An upstream that answers early (a challenge, an error) may stop reading the body; its answer is what counts.
  const upload = pipeline(req, outgoing).catch(() => undefined);
  try {
    await answered;
    await upload;
  } catch (error) {
    outgoing.destroy();
    sendOciError(res, 502, 'UNAVAILABLE', `the upstream registry could not be reached (${(error as Error).message}); retry later`);
  }
}
