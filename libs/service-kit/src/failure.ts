import type { ErrorCode } from '@lading/contracts';

/** An error a handler means to show the caller: its code and message cross the wire as they are. */
export class ServiceFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceFailure';
  }
}

/** The answer a caller receives for a failed request, raised on the calling side. */
export class RemoteFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly subject: string,
  ) {
    super(message);
    this.name = 'RemoteFailure';
  }
}
