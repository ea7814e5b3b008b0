import { Command } from 'commander';
import { groupsFor } from './command-index.js';
import { useCredentialsFile } from './credentials-option.js';
import { cliVersion } from './version.js';

/** The program with the commands `args` (the words after `lading`) need; see command-index.ts. */
export async function buildProgram(args: readonly string[]): Promise<Command> {
  const program = new Command('lading')
    .description(
      'Build, publish and run CNAB bundles with security that holds by construction:\n' +
        'secrets just in time, digests instead of tags, nothing runs as root, no tag overwritten without --force.',
    )
    .version(cliVersion)
    .option('--credentials <file>', 'act as the principal of this credentials file (default: LADING_CREDENTIALS, else the administrator)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .hook('preAction', (command) => useCredentialsFile(command.opts<{ credentials?: string }>().credentials));
  for (const group of groupsFor(args)) await group.register(program);
  return program;
}
