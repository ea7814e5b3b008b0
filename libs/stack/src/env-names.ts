import { cliSettings } from '@lading/service-kit/settings';

/** Names of the CLI's own environment variables, from its settings table (@lading/service-kit/settings). */

/** The CLI: a principal's credentials file to act as (as `--credentials` does). */
export const credentialsEnv = cliSettings.credentials.name;

/** Where the stack lives; without it, see defaultHome (layout.ts). */
export const homeEnv = cliSettings.home.name;
