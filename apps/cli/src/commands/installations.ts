import type { Command } from 'commander';
import { endpoints } from '@lading/contracts';
import { callEndpoint } from '@lading/service-kit';
import { parseOutputFormat, printResult } from '../output.js';
import { withSession } from '../session.js';

const outputOption = ['-o, --output <format>', 'table, json or yaml', 'table'] as const;
const namespaceOption = ['-n, --namespace <namespace>', 'namespace', ''] as const;

/** `lading installations list | show | runs | outputs | logs`. */
export function registerInstallationCommands(program: Command): void {
  const group = program.command('installations').description('Read installations, their runs, outputs and logs');

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
      const rows = Object.entries(installation).map(([field, value]) => ({ field, value: String(value) }));
      printResult(format, installation, { rows, columns: ['field', 'value'] });
    });

  group
    .command('runs')
    .argument('<name>')
    .option(...namespaceOption)
    .option(...outputOption)
    .description('List the runs of an installation')
    .action(async (name: string, options: { namespace: string; output: string }) => {
      const format = parseOutputFormat(options.output);
      const { runs } = await withSession(({ nc }) => callEndpoint(nc, endpoints.installationsRuns, { name, namespace: options.namespace }));
      printResult(format, runs, { rows: runs, columns: ['runId', 'action', 'status', 'exitCode', 'created'] });
    });

  group
    .command('outputs')
    .argument('<name>')
    .option(...namespaceOption)
    .option(...outputOption)
    .description('List the outputs of an installation (sensitive ones masked; they live in the secret store)')
    .action(async (name: string, options: { namespace: string; output: string }) => {
      const format = parseOutputFormat(options.output);
      const { outputs } = await withSession(({ nc }) => callEndpoint(nc, endpoints.installationsOutputs, { name, namespace: options.namespace }));
      const shown = outputs.map((output) => ({ ...output, value: output.sensitive ? '*******' : output.value }));
      printResult(format, shown, { rows: shown, columns: ['name', 'value', 'sensitive', 'runId'] });
    });

  group
    .command('logs')
    .argument('<name>')
    .option(...namespaceOption)
    .description('Print the (masked) log of the last run of an installation')
    .action(async (name: string, options: { namespace: string }) => {
      const { log } = await withSession(({ nc }) => callEndpoint(nc, endpoints.installationsLogs, { name, namespace: options.namespace }));
      process.stdout.write(log);
    });
}
