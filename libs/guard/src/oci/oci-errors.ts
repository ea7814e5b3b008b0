import type { ServerResponse } from 'node:http';

/** The OCI Distribution error body, which docker and skopeo print to the user. */
export function ociErrorBody(code: string, message: string, detail?: Record<string, unknown>): string {
  return JSON.stringify({ errors: [{ code, message, ...(detail ? { detail } : {}) }] });
}

/** Sends an error in the OCI Distribution format. */
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
  const body = ociErrorBody(code, message, detail);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
}

/** The 401 answer's challenge and message: docker and skopeo then ask for, or send, the user's credentials. */
export const basicChallenge = 'Basic realm="lading registry guard"';
export const authenticationRequired = 'authentication required; log in to this registry with your Lading credentials';

export function sendAuthenticationRequired(res: ServerResponse, message = authenticationRequired, challenge = basicChallenge): void {
  res.setHeader('www-authenticate', challenge);
  sendOciError(res, 401, 'UNAUTHORIZED', message);
}
