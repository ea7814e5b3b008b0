/** Names of the CLI's own environment variables; the services' are in their settings tables (@lading/service-kit/settings). */

/** The CLI: a principal's credentials file to act as (as `--credentials` does). */
export const credentialsEnv = 'LADING_CREDENTIALS';

/** Where the stack lives; without it, see defaultHome (layout.ts). */
export const homeEnv = 'LADING_HOME';
