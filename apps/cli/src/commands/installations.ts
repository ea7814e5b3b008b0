import type { Command } from 'commander';
import { endpoints, sealingContexts, type LeaseAuditEntry } from '@lading/contracts';
import { generateSealingKeyPair, open } from '@lading/secrets';
import { callEndpoint } from '@lading/service-kit/client';
import { parseOutputFormat, printResult } from '../output.js';
import { withSession } from '../session.js';
import { neutraliseControls } from '../terminal-text.js';
import { printRunTrace } from '../run-trace.js';
import { UserError } from '../user-error.js';

const outputOption = ['-o, --output <format>', 'table, json or yaml', 'table'] as const;
const namespaceOption = ['-n, --namespace <namespace>', 'namespace', ''] as const;

/** What the broker decided about a run's lease, in one line: names and reasons, never values. */
function leaseSummary(entries: LeaseAuditEntry[]) {
  const granted = entries.find((entry) => entry.granted);
  const refused = entries.filter((entry) => !entry.granted);
  if (granted) {
    const replays = refused.length > 0 ? `; ${refused.length} later request${refused.length === 1 ? '' : 's'} refused` : '';
    return { summary: `granted (${granted.names.join(', ') || 'no values'})${replays}`, granted: true, names: granted.names, at: granted.at };
  }
  const last = refused.at(-1);
  if (last) return { summary: `refused (${last.reason ?? 'no reason given'})`, granted: false, names: [], reason: last.reason, at: last.at };
  return { summary: 'none requested', granted: false, names: [] };
}

/** `lading installations list | show | runs | outputs [show] | logs | delete`. */
export function registerInstallationCommands(program: Command): void {
  const group = program.command('installations').description('Read installations, their runs, outputs and logs, or delete one');

  group
    .command('list')
    .option('-n, --namespace <namespace>', 'only this namespace')
    .option(...outputOption)
    .description('List installations')
    .action(async (options: { namespace?: string; output: string }) => {
      const format = parseOutputFormat(options.output);
      const { items } = await withSession(({ nc }) => callEndpoint(nc, endpoints.installationsList, { namespace: options.namespace }));
      printResult(format, items, { rows: items, columns: ['namespace', 'name', 'bundleName', 'bundleVersion', 'status', 'lastAction', 'modified'] });
    });

  group
    .command('show')
    .argument('<name>')
    .option(...namespaceOption)
    .option(...outputOption)
    .description('Show one installation')
    .action(async (name: string, options: { namespace: string; output: string }) => {
      const format = parseOutputFormat(options.output);
      const { installation } = await withSession(({ nc }) => callEndpoint(nc, endpoints.installationsShow, { name, namespace: options.namespace }));
      // Read from the bundle it runs, by a module loaded here only (the other listings need no registry
      // client); a registry that cannot be read leaves the record as it is, saying so.
      const { installationDependencies } = await import('../installation-dependencies.js');
      const dependencies = await installationDependencies(installation.name, installation.bundleReference).catch((error: unknown) => {
        if (error instanceof UserError) return `unknown: ${error.message}`;
        throw error;
      });
      const shown = dependencies.length === 0 ? installation : { ...installation, dependencies };
      const rows = Object.entries(installation).map(([field, value]) => ({ field, value: String(value) }));
      if (typeof dependencies === 'string') rows.push({ field: 'dependencies', value: dependencies });
      else if (dependencies.length > 0) rows.push({ field: 'dependencies', value: dependencies.map((d) => `${d.alias} → ${d.installation} (${d.bundle})`).join(', ') });
      printResult(format, shown, { rows, columns: ['field', 'value'] });
    });

  group
    .command('runs')
    .argument('<name>')
    .option(...namespaceOption)
    .option(...outputOption)
    .option('--trace <run>', "print the run's span tree with durations, from the stack's embedded span store")
    .description("List the runs of an installation, each with the secret-broker's lease decision (names only, never values)")
    .action(async (name: string, options: { namespace: string; output: string; trace?: string }) => {
      const format = parseOutputFormat(options.output);
      const { runs, entries } = await withSession(async ({ nc }) => {
        const { runs } = await callEndpoint(nc, endpoints.installationsRuns, { name, namespace: options.namespace });
        const { entries } = await callEndpoint(nc, endpoints.leaseAudit, { runIds: runs.map((run) => run.runId) });
        return { runs, entries };
      });
      if (options.trace !== undefined) return printRunTrace(runs, options.trace);
      const shown = runs.map((run) => ({ ...run, lease: leaseSummary(entries.filter((entry) => entry.runId === run.runId)) }));
      const rows = shown.map((run) => ({ ...run, lease: run.lease.summary }));
      printResult(format, shown, { rows, columns: ['runId', 'action', 'status', 'exitCode', 'created', 'lease', 'traceId'] });
    });

  const outputs = group
    .command('outputs')
    .argument('<name>')
    .option(...namespaceOption)
    .option(...outputOption)
    .description('List the outputs of an installation (sensitive ones masked; they live in the secret store)')
    .addHelpText('after', '\nPrint one value, sensitive ones included: lading installations outputs show NAME OUTPUT [-n NAMESPACE]')
    .action(async (name: string, options: { namespace: string; output: string }) => {
      const format = parseOutputFormat(options.output);
      const { outputs } = await withSession(({ nc }) => callEndpoint(nc, endpoints.installationsOutputs, { name, namespace: options.namespace }));
      const shown = outputs.map((output) => ({ ...output, value: output.sensitive ? '*******' : output.value }));
      // In a table a value stays on its row: its trailing newline (most outputs end with one) is dropped.
      const rows = shown.map((output) => ({ ...output, value: output.value?.replace(/\n+$/, '').replaceAll('\n', '⏎') }));
      printResult(format, shown, { rows, columns: ['name', 'value', 'sensitive', 'runId'] });
    });

  // -n/--namespace belongs to `outputs`: commander parses a parent's options wherever they stand.
  outputs
    .command('show')
    .argument('<name>', 'installation')
    .argument('<output>', 'output name')
    .description(
      'Print one output value; a sensitive one is fetched from the secret store just in time, sealed to a key made for this call ' +
        '(-n/--namespace as for outputs)',
    )
    .action(async (name: string, output: string) => {
      const { namespace } = outputs.opts<{ namespace: string }>();
      const keys = generateSealingKeyPair();
      const reply = await withSession(({ nc }) =>
        callEndpoint(nc, endpoints.outputsShow, { installation: name, namespace, output, publicKey: keys.publicKey }),
      );
      const value = open(reply.sealed, keys.privateKey, sealingContexts.outputShow(name, output));
      // Piped, the value goes out byte for byte; on a terminal, a bundle's control characters are shown, not obeyed.
      process.stdout.write(process.stdout.isTTY ? neutraliseControls(value.toString('utf8')) : value);
      if (process.stdout.isTTY && !value.toString('utf8').endsWith('\n')) process.stdout.write('\n');
      value.fill(0);
    });

  group
    .command('logs')
    .argument('<name>')
    .option(...namespaceOption)
    .description('Print the (masked) log of the last run of an installation')
    .action(async (name: string, options: { namespace: string }) => {
      const { log } = await withSession(({ nc }) => callEndpoint(nc, endpoints.installationsLogs, { name, namespace: options.namespace }));
      process.stdout.write(neutraliseControls(log));
    });

  group
    .command('delete')
    .argument('<name>')
    .option(...namespaceOption)
    .description('Delete an installation: its records, its stored outputs and the values it remembers (refused while a run holds it)')
    .action(async (name: string, options: { namespace: string }) => {
      const reply = await withSession(({ nc }) => callEndpoint(nc, endpoints.installationsDelete, { name, namespace: options.namespace }));
      process.stderr.write(`installation ${name} deleted: ${reply.deletedRuns} run${reply.deletedRuns === 1 ? '' : 's'}, ${reply.deletedSecrets} secret${reply.deletedSecrets === 1 ? '' : 's'}\n`);
    });
}
