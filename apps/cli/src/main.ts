import { CommanderError } from 'commander';
import { groupsFor } from './command-index.js';
import { buildProgram } from './program.js';
import { cliSettings, readSetting } from '@lading/service-kit/settings';
import { explainFailure } from './explain-failure.js';

const args = process.argv.slice(2);
const program = await buildProgram(args);
// `lading --version` runs no command, so it loads no telemetry: it stays as fast as Node starts.
const tracing = groupsFor(args).length > 0 ? await import('./command-trace.js') : undefined;
const flushTelemetry = async () => tracing?.flushTelemetry();
// A stopped command still exports the spans it has: SIGTERM flushes, then exits as killed.
process.once('SIGTERM', () => void flushTelemetry().then(() => process.exit(143)));
try {
  if (tracing) await tracing.traceCommand(program, process.argv);
  else await program.parseAsync(process.argv);
  await flushTelemetry();
} catch (error) {
  await flushTelemetry();
  if (error instanceof CommanderError) process.exit(error.exitCode);
  const { message, exitCode } = explainFailure(error, Boolean(readSetting(cliSettings.debug, process.env)));
  process.stderr.write(`lading: ${message}
`);
  process.exit(exitCode);
}
