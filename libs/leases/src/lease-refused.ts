import type { LeaseRefusalCode } from './types.js';
import { CodedError } from '@lading/contracts/errors';

/** Why a run, claim or lease was refused; the message names runs, sets and entries, never values. */
export class LeaseRefusedError extends CodedError {
  declare readonly code: LeaseRefusalCode;
  constructor(code: LeaseRefusalCode, message: string) {
    super(code, message);
  }
}
