// Lading's records in NATS key-value buckets: run records (logs, outputs, installations, claims),
// value sets, and the JSON bucket with its namespaced keys they are built on.
export { JsonBucket } from './json-bucket.js';
export { namespacedKey } from './keys.js';
export { SetStore } from './set-store.js';
export { RunRecords, maxStoredLogBytes } from './run-records.js';
