import { CodedError, type ErrorCode } from '@lading/contracts/errors';
/** A mistake the user can fix: printed as one sentence, never with a stack trace. */
export class UserError extends CodedError {
  constructor(message: string, code: ErrorCode = 'invalid_request') {
    super(code, message);
  }
}
