// Running one bundle action's container: the runner's public face. The parts its tests drive one
// by one are in ./internal.ts (`@lading/execution/internal`).
export { executeRun, startBundlePull } from './execute-run.js';
export type { SignaturePolicy, SignatureRule } from './signature-policy.js';
