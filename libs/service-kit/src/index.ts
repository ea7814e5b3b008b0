export { readServiceConfig } from './config.js';
export { connectToNats, type NatsAccess } from './connect.js';
export { createLogger } from './logger.js';
export { ServiceFailure, RemoteFailure } from './failure.js';
export { serveEndpoint, type EndpointHandler, type EndpointContext } from './endpoint-server.js';
export {
  callerOf,
  mayUseNamespace,
  assertNamespace,
  assertPerson,
  principalDirectory,
  processPrincipalDirectory,
  principalsFileSchema,
  principalEntrySchema,
  parsePrincipalsFile,
  PrincipalsFileReader,
  passwordVerifier,
  verifyPassword,
  type Caller,
  type PrincipalDirectory,
  type PrincipalsFile,
  type PrincipalEntry,
} from './principals/index.js';
export { callEndpoint, type CallOptions } from './endpoint-client.js';
export { headerCarrier } from './headers.js';
export { startHealthServer, type HealthServer, type HealthServerOptions } from './health-server.js';
export { openBucket, openObjectStore, ensureStream, type StreamSpec } from './jetstream.js';
export { runService, type ServiceContext, type ServiceDefinition } from './run-service.js';
export type { ServiceConfig, Logger, LogFields, LogLevel } from './types.js';
