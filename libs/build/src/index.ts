// Building a bundle: from a manifest and its build context to an invocation image pushed by digest
// and a bundle.json that names it. The builder service calls buildBundle; the steps behind it that
// tests drive one by one are in ./internal.ts (`@lading/build/internal`).
export { buildBundle } from './build-bundle.js';
