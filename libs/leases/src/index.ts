// The run path's public face: what the secret broker serves and the runner calls. The parts its
// tests drive one by one are in ./internal.ts (`@lading/leases/internal`).
export { grantLease } from './grant-lease.js';
export { admitRun } from './admit-run.js';
export { claimRun } from './claim-run.js';
export { finishRun, heartbeatRun } from './finish-run.js';
export { heartbeatIntervalMs } from './installation-lock.js';
export { openRunState } from './open-run-state.js';
export { LeaseRefusedError } from './lease-refused.js';
export type { AdmissionBucket, RunPathState } from './types.js';
