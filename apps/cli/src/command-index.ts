import type { Command } from 'commander';

interface CommandGroup {
  /** The top-level commands the group's module declares. */
  commands: readonly string[];
  /** Imports the module and adds its commands to the program. */
  register(program: Command): Promise<void>;
}

/**
 * Which module declares each top-level command, in the order `lading --help` lists them. A
 * command loads only its own module and what that imports: `lading --version` loads none,
 * `lading installations list` no Docker, YAML or stack code. `test/command-index.test.ts` checks
 * that this table and the modules agree.
 */
export const commandGroups: readonly CommandGroup[] = [
  { commands: ['up', 'down', 'status'], register: async (program) => (await import('./commands/stack.js')).registerStackCommands(program) },
  {
    commands: ['create', 'build', 'publish', 'inspect', 'explain'],
    register: async (program) => (await import('./commands/bundle.js')).registerBundleCommands(program),
  },
  { commands: ['archive', 'copy'], register: async (program) => (await import('./commands/relocation.js')).registerRelocationCommands(program) },
  { commands: ['keys'], register: async (program) => (await import('./commands/keys.js')).registerKeyCommands(program) },
  { commands: ['lint'], register: async (program) => (await import('./commands/lint.js')).registerLintCommand(program) },
  {
    commands: ['install', 'upgrade', 'uninstall', 'invoke'],
    register: async (program) => (await import('./commands/run.js')).registerRunCommands(program),
  },
  {
    commands: ['installations'],
    register: async (program) => (await import('./commands/installations.js')).registerInstallationCommands(program),
  },
  { commands: ['credentials'], register: async (program) => (await import('./commands/value-sets.js')).registerSetCommands(program, 'credentials') },
  { commands: ['parameters'], register: async (program) => (await import('./commands/value-sets.js')).registerSetCommands(program, 'parameters') },
  { commands: ['secrets'], register: async (program) => (await import('./commands/secrets.js')).registerSecretCommands(program) },
  { commands: ['audit'], register: async (program) => (await import('./commands/audit.js')).registerAuditCommands(program) },
  { commands: ['principals'], register: async (program) => (await import('./commands/principals.js')).registerPrincipalCommands(program) },
];

/** Options of the program itself that take a value, so the word after them is not a command. */
const globalOptionsWithValue = new Set(['--credentials']);

/**
 * The groups a command line needs: the one of its command; none for `--version` alone; all of
 * them for help, no command or a command not known (so commander can list or suggest).
 */
export function groupsFor(args: readonly string[]): readonly CommandGroup[] {
  let command: string | undefined;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (globalOptionsWithValue.has(arg)) index += 1;
    else if (!arg.startsWith('-')) {
      command = arg;
      break;
    }
  }
  if (command === undefined && (args.includes('-V') || args.includes('--version'))) return [];
  const group = commandGroups.find((candidate) => command !== undefined && candidate.commands.includes(command));
  return group ? [group] : commandGroups;
}
