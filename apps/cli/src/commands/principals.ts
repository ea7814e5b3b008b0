import type { Command } from 'commander';
import { addPrincipal, applyPrincipals, listPrincipals, readStackFile, removePrincipal, defaultPorts } from '@lading/stack';
import { parseOutputFormat, printResult } from '../output.js';
import { ladingHome } from '../session.js';
import { UserError } from '../user-error.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function reloadNote(home: string): Promise<string> {
  return (await applyPrincipals(home)) ? 'the running stack knows it now' : 'no stack is running: `lading up` will know it';
}

/** `lading principals …`: who may act on this stack, and in which namespaces. */
export function registerPrincipalCommands(program: Command): void {
  const group = program
    .command('principals')
    .description(
      'Manage the people (principals) who may use this stack. `lading up` creates the administrator,\n' +
        'who may use every namespace; a principal added here sees and uses only its own namespaces.\n' +
        'Act as one with `lading --credentials FILE …` or LADING_CREDENTIALS=FILE.',
    );

  group
    .command('add')
    .argument('<name>', 'principal name: lower-case letters, digits and "-"')
    .option('--namespace <namespace>', 'a namespace it may use; repeatable, at least one', collect, [])
    .description('Add a principal and write its credentials file (mode 0600); prints the file path')
    .action(async (name: string, options: { namespace: string[] }) => {
      const home = ladingHome();
      const stack = await readStackFile(home).catch(() => undefined);
      const where = {
        natsUrl: stack?.natsUrl ?? `nats://127.0.0.1:${defaultPorts.nats}`,
        frontDoor: stack?.frontDoor ?? `127.0.0.1:${defaultPorts.guard}`,
      };
      const added = await addPrincipal(home, name, options.namespace, where).catch((error: Error) => {
        throw new UserError(error.message);
      });
      process.stderr.write(`added principal ${added.principal} (namespaces: ${added.namespaces.map((ns) => JSON.stringify(ns)).join(', ')}); ${await reloadNote(home)}\n`);
      process.stdout.write(`${added.credentialsFile}\n`);
    });

  group
    .command('list')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .description('List the principals and their namespaces')
    .action(async (options: { output: string }) => {
      const format = parseOutputFormat(options.output);
      const principals = await listPrincipals(ladingHome());
      const rows = principals.map((entry) => ({ ...entry, namespaces: entry.namespaces.map((ns) => JSON.stringify(ns)).join(', ') }));
      printResult(format, { principals }, { rows, columns: ['principal', 'namespaces', 'credentialsFile'] });
    });

  group
    .command('remove')
    .argument('<name>')
    .description('Remove a principal: its credentials stop working at once on a running stack')
    .action(async (name: string) => {
      const home = ladingHome();
      await removePrincipal(home, name).catch((error: Error) => {
        throw new UserError(error.message);
      });
      process.stdout.write(`removed principal ${name}; ${await reloadNote(home)}\n`);
    });
}
