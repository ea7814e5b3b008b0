/**
 * The face of this library for clients of the services (the `lading` command): connecting to NATS
 * and calling endpoints, without what a service runs (its health server brings Express along).
 */
export { connectToNats, type NatsAccess } from './connect.js';
export { callEndpoint, type CallOptions } from './endpoint-client.js';
export { RemoteFailure } from './failure.js';
