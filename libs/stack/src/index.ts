export { serviceEnv, homeEnv } from './env-names.js';
export { natsPermissions, natsRoles, requestNamespace } from './nats-permissions.js';
export { natsUsers, renderNatsAuthorization, renderNatsConfig } from './nats-config.js';
export { defaultHome, defaultPorts, stackPaths, type StackPaths } from './layout.js';
export { PortInUseError } from './ports.js';
export { stackServices, infrastructureNames, type StackService } from './services.js';
export {
  stackFileSchema,
  stackProcessSchema,
  readStackFile,
  type StackFile,
  type StackProcess,
} from './stack-file.js';
export { startStack } from './start-stack.js';
export { stopStack } from './stop-stack.js';
export { stackStatus } from './stack-status.js';
export type {
  NatsRole,
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
export { seedBaseImage, baseImageRepository, baseImageTag } from './base-image.js';
