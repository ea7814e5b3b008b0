export { JsonBucket, type Versioned } from './json-bucket.js';
export { namespacedKey, namespaceFilter } from './keys.js';
export { SetStore, type SetKind } from './set-store.js';
export { RunRecords, maxStoredLogBytes, type RunRecordBuckets } from './run-records.js';
