import { ZodError } from 'zod';
import type { ReplyError } from '@lading/contracts';
import { isCodedError } from '@lading/contracts/errors';

/** What an answer says of a request that did not parse: its first few problems, located. */
export function describeZodIssues(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`)
    .join('; ');
}

/**
 * The one mapping from a failure to the error a caller is answered with: a coded error keeps its
 * code and message; a value that fails a schema is the request's fault; anything else is an
 * internal failure whose text stays in the service's log (it may quote what it should not).
 */
export function replyErrorFor(failure: unknown, subject: string): ReplyError {
  if (isCodedError(failure)) return { code: failure.code, message: failure.message };
  if (failure instanceof ZodError) return { code: 'invalid_request', message: `invalid request: ${describeZodIssues(failure)}` };
  return { code: 'internal', message: `internal error while handling ${subject}; see the service log` };
}
