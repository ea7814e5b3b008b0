// Run from TypeScript sources (tests, a checkout without a build), a worker thread does not inherit
// the TypeScript loader: register it, then load the data plane. Compiled code never comes here.
import { register } from 'tsx/esm/api';

register();
await import('./data-plane-worker.ts');
