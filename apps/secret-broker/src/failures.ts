import { ZodError } from 'zod';
import { CnabValidationError } from '@lading/cnab';
import { LeaseRefusedError } from '@lading/leases';
import { RotationNotSupportedError, SealError, SecretStoreError, SourceError } from '@lading/secrets';
import { ServiceFailure } from '@lading/service-kit';

/** Maps the broker's domain errors to answers the caller can act on. None carries a value. */
export function asServiceFailure(error: unknown): unknown {
  if (error instanceof LeaseRefusedError) return new ServiceFailure(error.code, error.message);
  if (error instanceof CnabValidationError) return new ServiceFailure('invalid_request', error.message);
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    return new ServiceFailure('invalid_request', `${issue?.path.join('.') || 'value'} ${issue?.message ?? 'is invalid'}`);
  }
  if (error instanceof SealError) return new ServiceFailure('invalid_request', 'the sealed value could not be opened: seal it to the broker key for this purpose');
  if (error instanceof RotationNotSupportedError) return new ServiceFailure('invalid_request', error.message);
  if (error instanceof SourceError || error instanceof SecretStoreError) return new ServiceFailure('unresolvable', error.message);
  return error;
}

/** Wraps a handler so domain errors become service failures. */
export function mapFailures<A extends unknown[], R>(handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (error) {
      throw asServiceFailure(error);
    }
  };
}
