import { CommanderError } from 'commander';
import { groupsFor } from './command-index.js';
import { buildProgram } from './program.js';
import { UserError } from './user-error.js';

/** Turns any failure into one sentence on stderr and a non-zero exit code. */
async function explainFailure(error: unknown): Promise<{ message: string; exitCode: number }> {
  if (error instanceof UserError) return { message: error.message, exitCode: error.exitCode };
  // Loaded only on failure: commands that never talk to a service do not load the service kit.
  const { RemoteFailure } = await import('@lading/service-kit/client');
  if (error instanceof RemoteFailure) return { message: error.message, exitCode: 1 };
  if (error instanceof Error && /^[A-Z][A-Za-z]*Error$/.test(error.name) && error.message) {
    return { message: error.message, exitCode: 1 };
  }
  return { message: `unexpected failure: ${error instanceof Error ? error.message : String(error)}`, exitCode: 70 };
}

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
  const { message, exitCode } = await explainFailure(error);
  process.stderr.write(`lading: ${message}
`);
  process.exit(exitCode);
}
