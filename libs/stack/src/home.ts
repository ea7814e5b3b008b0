/**
 * The light face of this library: where a stack's home, files and credentials are, and how to read
 * them, without what starts and stops a stack (which brings Docker's client along). Commands that
 * only talk to a running stack import this, so they do not load what they never run.
 */
export { homeEnv, credentialsEnv } from './env-names.js';
export { credentialsFileSchema, readCredentialsFile, type CredentialsFile } from './credentials-file.js';
export { defaultHome, defaultPorts, stackPaths, type StackPaths } from './layout.js';
export { readStackFile, type StackFile } from './stack-file.js';
