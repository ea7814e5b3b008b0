import type { LeaseRefusalCode } from './types.js';

/** Why a run, claim or lease was refused; the message names runs, sets and entries, never values. */
export class LeaseRefusedError extends Error {
  constructor(
    readonly code: LeaseRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'LeaseRefusedError';
  }
}
