import { spawn, type ChildProcess } from 'node:child_process';

export interface RunningProcess {
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves once the process has written `text` (to stdout or stderr); rejects if it exits first. */
  written(text: string): Promise<void>;
  stop(): Promise<void>;
}

/** Spawns a long-running process, keeps its output for diagnostics and stops it with SIGTERM (then SIGKILL). */
export function startProcess(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): RunningProcess {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => output,
    written: (text) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!output.includes(text)) return;
          stopWatching();
          resolve();
        };
        const exit = () => {
          stopWatching();
          reject(new Error(`the process exited before writing ${text}:\n${output}`));
        };
        const stopWatching = () => {
          child.stdout?.off('data', check);
          child.stderr?.off('data', check);
          child.off('exit', exit);
        };
        // Listeners added after the ones that collect the output, so each chunk is in it when checked.
        child.stdout?.on('data', check);
        child.stderr?.on('data', check);
        child.once('exit', exit);
        check();
      }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
