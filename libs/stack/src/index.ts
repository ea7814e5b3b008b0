export { homeEnv, credentialsEnv } from './env-names.js';
export {
  endpointCallers,
  streamOwners,
  streamReaders,
  readerApiSubjects,
  serviceRoles,
  servicePermissions,
  principalPermissions,
  peopleEndpointSubjects,
  peopleImportSubjects,
  ownerApiSubjects,
  endpointOwner,
  type EndpointCaller,
} from './nats-permissions.js';
export { serviceUsers, principalUsers, renderNatsAuthorization, renderNatsConfig } from './nats-config.js';
export {
  addPrincipal,
  removePrincipal,
  listPrincipals,
  ensureAdministrator,
  readPrincipalPasswords,
  type PrincipalSummary,
} from './principals.js';
export { applyPrincipals } from './apply-principals.js';
export { credentialsFileSchema, readCredentialsFile, writeCredentialsFile, type CredentialsFile } from './credentials-file.js';
export { defaultHome, defaultPorts, rootStackHome, stackPaths, type StackPaths } from './layout.js';
export { PortInUseError } from './ports.js';
export { stackServices, infrastructureNames, type StackService } from './services.js';
export {
  stackFileSchema,
  stackProcessSchema,
  readStackFile,
  writeStackFile,
  type StackFile,
  type StackProcess,
} from './stack-file.js';
export { startStack } from './start-stack.js';
export { stopStack } from './stop-stack.js';
export { stackStatus } from './stack-status.js';
export type {
  NatsRole,
  NatsPasswords,
  NatsPermissions,
  NatsUser,
  NatsConfigOptions,
  SubjectRules,
  StackPorts,
  StartStackOptions,
  StartStackResult,
  StackStatus,
  ProcessStatus,
  StopStackResult,
} from './types.js';
export { seedBaseImages, seedLocalBaseImage, type SeededBaseImage } from './base-image.js';
export { prepareStackHome, recordStack, type PreparedHome } from './stack-home.js';
