import type { Response } from 'express';

/** Sends an error in the OCI Distribution format, which docker and skopeo print to the user. */
export function sendOciError(
  res: Response,
  status: number,
  code: string,
  message: string,
  detail?: Record<string, unknown>,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(status).json({ errors: [{ code, message, ...(detail ? { detail } : {}) }] });
}
