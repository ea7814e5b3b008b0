import { CodedError, type ErrorCode } from '@lading/contracts/errors';

/** An error a handler raises itself to show the caller: its code and message cross the wire as they are. */
export class ServiceFailure extends CodedError {}

/** The answer a caller receives for a failed request, raised on the calling side. */
export class RemoteFailure extends CodedError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly subject: string,
  ) {
    super(code, message);
  }
}
