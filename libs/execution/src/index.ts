export { executeRun } from './execute-run.js';
export { sealOutput } from './seal-output.js';
export { bundleNeeds, declaresAction, type BundleNeeds } from '@lading/cnab';
export { checkCommandLine, planDelivery, type DeliveryPlan } from './delivery-plan.js';
export { RunOutput, type RunOutputOptions, type StoredLog } from './run-output.js';
export { RunRefusedError, type ExecutionDependencies } from './types.js';
export { enforceSignaturePolicy, type SignaturePolicy, type SignatureRule } from './signature-policy.js';
