export { grantLease, maxLeaseTtlMs } from './grant-lease.js';
export { resolveRunValues, type RunValues } from './resolve-run-values.js';
export { LeaseRefusedError } from './lease-refused.js';
export type { LeaseDependencies, LeaseRefusalCode } from './types.js';
