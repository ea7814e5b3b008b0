import { fileURLToPath } from 'node:url';
import { startProcess, type RunningProcess } from '@lading/testkit';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Resolves when the process exits, with its code or signal. */
export function exitOf(process: RunningProcess): Promise<ProcessExit> {
  const { child } = process;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Resolves when the service logs `message` (its JSON log line); rejects if it exits first. */
export function waitForLog(process: RunningProcess, message: string): Promise<void> {
  const wanted = `"message":${JSON.stringify(message)}`;
  const stdout = process.child.stdout;
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      stdout?.off('data', check);
      process.child.off('exit', exited);
      if (error) reject(error);
      else resolve();
    };
    const check = () => {
      if (process.output().includes(wanted)) done();
    };
    const exited = (code: number | null) => done(new Error(`the service exited (${code}) before logging "${message}": ${process.output()}`));
    stdout?.on('data', check);
    process.child.once('exit', exited);
    check();
  });
}

const mainFile = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/**
 * Starts the builder as the stack does: its own process, configured only by the LADING_* variables
 * given (none inherited from the test's environment), and resolves once it is ready.
 */
export async function startBuilder(settings: Record<string, string>): Promise<RunningProcess> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('LADING_')));
  const builder = startProcess(process.execPath, ['--import', 'tsx', mainFile], { ...inherited, ...settings });
  await waitForLog(builder, 'ready');
  return builder;
}
