// The run's internal entry (`@lading/execution/internal`): the public face and the parts behind it
// that its tests drive one by one. Production code imports the public face only.
export * from './index.js';
export { RunRefusedError, type ExecutionDependencies } from './types.js';
export { planDelivery } from './delivery-plan.js';
export { RunOutput, type RunOutputOptions } from './run-output.js';
