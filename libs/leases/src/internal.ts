// The run path's internal entry (`@lading/leases/internal`): the public face and the parts behind
// it that its tests drive one by one. Production code imports the public face only.
export * from './index.js';
export { InstallationLocks } from './installation-lock.js';
export type { AdmissionDependencies, LeaseDependencies } from './types.js';
