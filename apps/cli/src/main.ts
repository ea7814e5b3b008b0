import { CommanderError } from 'commander';
import { RemoteFailure } from '@lading/service-kit';
import { flushTelemetry, traceCommand } from './command-trace.js';
import { buildProgram } from './program.js';
import { UserError } from './user-error.js';

/** Turns any failure into one sentence on stderr and a non-zero exit code. */
function explainFailure(error: unknown): { message: string; exitCode: number } {
  if (error instanceof UserError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof RemoteFailure) return { message: error.message, exitCode: 1 };
  if (error instanceof Error && /^[A-Z][A-Za-z]*Error$/.test(error.name) && error.message) {
    return { message: error.message, exitCode: 1 };
  }
  return { message: `unexpected failure: ${error instanceof Error ? error.message : String(error)}`, exitCode: 70 };
}

// A stopped command still exports the spans it has: SIGTERM flushes, then exits as killed.
process.once('SIGTERM', () => void flushTelemetry().then(() => process.exit(143)));

const program = buildProgram();
try {
  await traceCommand(program, process.argv);
  await flushTelemetry();
} catch (error) {
  await flushTelemetry();
  if (error instanceof CommanderError) process.exit(error.exitCode);
  const { message, exitCode } = explainFailure(error);
  process.stderr.write(`lading: ${message}\n`);
  process.exit(exitCode);
}
