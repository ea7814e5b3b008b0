import type { ServerResponse } from 'node:http';

/** Sends an error in the OCI Distribution format, which docker and skopeo print to the user. */
export function sendOciError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  detail?: Record<string, unknown>,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ errors: [{ code, message, ...(detail ? { detail } : {}) }] });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
}

/** 401 with a Basic challenge: docker and skopeo then ask for, or send, the user's credentials. */
export function sendAuthenticationRequired(res: ServerResponse): void {
  res.setHeader('www-authenticate', 'Basic realm="lading registry guard"');
  sendOciError(res, 401, 'UNAUTHORIZED', 'authentication required; log in to this registry with your Lading credentials');
}
