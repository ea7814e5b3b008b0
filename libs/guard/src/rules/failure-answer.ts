import type { Response } from 'express';
import {
  ForceNotAllowedError,
  TagConflictError,
  TagDeleteRefusedError,
  TagDriftError,
  TagLedgerBusyError,
  TagNotFoundError,
} from '../ledger/tag-errors.js';
import { sendOciError } from '../oci/oci-errors.js';
import { UpstreamRefusedError } from '../upstream/upstream-registry.js';
import { ManifestRejectedError } from './manifest-body.js';
import { CodedError } from '@lading/contracts/errors';

/** A delete of content (a manifest by digest, a blob) asked for without --force. */
export class DestructiveRefusedError extends CodedError {
  constructor(message: string) {
    super('conflict', message);
  }
}

/** Answers a failed tag write or delete as the OCI error a registry client understands. */
export function sendFailure(res: Response, error: unknown): void {
  if (error instanceof TagConflictError) {
    return sendOciError(res, 409, 'DENIED', error.message, { existingDigest: error.existingDigest });
  }
  if (error instanceof TagDeleteRefusedError) {
    return sendOciError(res, 409, 'DENIED', error.message, { existingDigest: error.existingDigest });
  }
  if (error instanceof TagDriftError) {
    return sendOciError(res, 409, 'DENIED', error.message, { ledgerDigest: error.ledgerDigest, upstreamDigest: error.upstreamDigest });
  }
  if (error instanceof DestructiveRefusedError) return sendOciError(res, 409, 'DENIED', error.message);
  if (error instanceof ForceNotAllowedError) return sendOciError(res, 403, 'DENIED', error.message);
  if (error instanceof TagNotFoundError) return sendOciError(res, 404, 'MANIFEST_UNKNOWN', error.message);
  if (error instanceof ManifestRejectedError) return sendOciError(res, error.status, error.ociCode, error.message);
  if (error instanceof TagLedgerBusyError) return sendOciError(res, 503, 'UNAVAILABLE', error.message);
  if (error instanceof UpstreamRefusedError) {
    if (res.headersSent) return void res.destroy();
    const { status, headers, body } = error.answer;
    res.status(status);
    if (headers['content-type']) res.set('content-type', headers['content-type']);
    if (headers['www-authenticate']) res.set('www-authenticate', headers['www-authenticate']);
    res.end(body);
    return;
  }
  sendOciError(res, 500, 'UNKNOWN', `the registry guard failed: ${(error as Error).message}; retry, and report it if it persists`);
}
