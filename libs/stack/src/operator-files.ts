import { chown, readFile } from 'node:fs/promises';
import type { ServiceRole } from '@lading/contracts';
import type { StackPaths } from './layout.js';
import { secretStoreChoice } from './services.js';
import { writePrivateFile } from './private-files.js';
import type { StackUsers } from './service-users.js';
import { CodedError } from '@lading/contracts/errors';

/**
 * Files the operator names for the broker (`LADING_VAULT_TOKEN_FILE`, `LADING_VAULT_SECRET_ID_FILE`)
 * are often root's alone. When the broker runs as its own user, `lading up` copies each into the
 * stack's secrets folder, readable by the broker only, and points the broker at the copy; the
 * operator's file is left as it is. Taken again at every `lading up`, so a new token needs a restart.
 */
export async function operatorFilesFor(role: ServiceRole, paths: StackPaths, users: StackUsers): Promise<Record<string, string>> {
  if (role !== 'broker') return {};
  const copies: Record<string, string> = {};
  for (const [variable, source] of Object.entries(secretStoreChoice(process.env))) {
    if (!variable.endsWith('_FILE')) continue;
    const copy = paths.brokerCopyOf(variable);
    const content = await readFile(source, 'utf8').catch((error: Error) => {
      throw new CodedError('bad_configuration', `cannot read ${variable}=${source} (${error.message}): give a file lading up can read`, { cause: error });
    });
    await writePrivateFile(copy, content);
    await chown(copy, users.broker.uid, users.broker.uid);
    copies[variable] = copy;
  }
  return copies;
}
