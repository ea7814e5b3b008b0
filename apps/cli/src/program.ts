import { Command } from 'commander';
import cliPackage from '../package.json' with { type: 'json' };
import { registerAuditCommands } from './commands/audit.js';
import { registerBundleCommands } from './commands/bundle.js';
import { registerLintCommand } from './commands/lint.js';
import { registerInstallationCommands } from './commands/installations.js';
import { registerRunCommands } from './commands/run.js';
import { registerSetCommands } from './commands/value-sets.js';
import { registerSecretCommands } from './commands/secrets.js';
import { registerStackCommands } from './commands/stack.js';
import { registerPrincipalCommands } from './commands/principals.js';
import { useCredentialsFile } from './session.js';

export function buildProgram(): Command {
  const program = new Command('lading')
    .description(
      'Build, publish and run CNAB bundles with security that holds by construction:\n' +
        'secrets just in time, digests instead of tags, nothing runs as root, no tag overwritten without --force.',
    )
    .version(cliPackage.version)
    .option('--credentials <file>', 'act as the principal of this credentials file (default: LADING_CREDENTIALS, else the administrator)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .hook('preAction', (command) => useCredentialsFile(command.opts<{ credentials?: string }>().credentials));
  registerStackCommands(program);
  registerBundleCommands(program);
  registerLintCommand(program);
  registerRunCommands(program);
  registerInstallationCommands(program);
  registerSetCommands(program, 'credentials');
  registerSetCommands(program, 'parameters');
  registerSecretCommands(program);
  registerAuditCommands(program);
  registerPrincipalCommands(program);
  return program;
}
