// Starting, stopping and describing a Lading stack on one host: its home and files, the NATS
// server with a least-privilege permission set per principal, the registry and the services as
// their own users, and the principals people sign in as. The light entry `@lading/stack/home` says
// where a home's files are without loading what starts a stack; the parts tests drive one by one
// are in ./internal.ts (`@lading/stack/internal`).
export { addPrincipal, removePrincipal, listPrincipals } from './principals.js';
export { applyPrincipals } from './apply-principals.js';
export { defaultPorts } from './layout.js';
export { PortInUseError } from './ports.js';
export { readStackFile } from './stack-file.js';
export { startStack } from './start-stack.js';
export { stopStack } from './stop-stack.js';
export { stackStatus } from './stack-status.js';
export { seedBaseImages } from './base-image.js';
