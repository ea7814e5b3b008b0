// What every Lading service is built on: running a service (config, logger, health, shutdown),
// serving and calling its NATS endpoints with the caller's principal, JetStream buckets and
// streams, and the failures that cross the wire. Clients of the services use the light entry
// `@lading/service-kit/client`, settings are in `@lading/service-kit/settings`; the parts tests
// drive one by one are in ./internal.ts (`@lading/service-kit/internal`).
export { ServiceFailure, RemoteFailure } from './failure.js';
export { serveEndpoint } from './endpoint-server.js';
export {
  mayUseNamespace,
  assertNamespace,
  assertPerson,
  principalsFileSchema,
  PrincipalsFileReader,
  passwordVerifier,
  verifyPassword,
  type Caller,
  type PrincipalsFile,
} from './principals/index.js';
export { callEndpoint } from './endpoint-client.js';
export { headerCarrier } from './headers.js';
export { openBucket, openObjectStore, ensureStream } from './jetstream.js';
export { runService, type ServiceContext } from './run-service.js';
export type { Logger } from './types.js';
