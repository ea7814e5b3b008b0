// The service kit's internal entry (`@lading/service-kit/internal`): the public face and the parts
// behind it that its tests drive one by one. Production code imports the public face only.
export * from './index.js';
export { createLogger } from './logger.js';
export { startHealthServer } from './health-server.js';
