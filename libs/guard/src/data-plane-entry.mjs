// Worker threads do not inherit the TypeScript loader: register it, then load the data plane.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
