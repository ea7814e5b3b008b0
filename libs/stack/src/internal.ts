// The stack library's internal entry (`@lading/stack/internal`): the public face and the parts behind
// it that its tests drive one by one (preparing a home, NATS authorization, stack files). Production
// code imports the public face only.
export * from './index.js';
export { renderNatsAuthorization } from './nats-config.js';
export { readPrincipalPasswords } from './principals.js';
export { readCredentialsFile, writeCredentialsFile } from './credentials-file.js';
export { defaultHome, rootStackHome, stackPaths } from './layout.js';
export { writeStackFile } from './stack-file.js';
export type { NatsRole, NatsPasswords, StackPorts, StartStackOptions } from './types.js';
export { prepareStackHome, recordStack, type PreparedHome } from './stack-home.js';
export { seedLocalBaseImage } from './base-image.js';
