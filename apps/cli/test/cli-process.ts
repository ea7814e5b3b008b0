import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '@lading/testkit';

// The command from its sources: tests need no build. (The packed, compiled command has its own test.)
const main = resolve(import.meta.dirname, '../src/main.ts');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  /** What the command wrote to stderr so far. */
  stderr(): string;
  /** Resolves when the output so far satisfies `test`. */
  waitForOutput(test: (stdout: string) => boolean): Promise<void>;
  done: Promise<CliResult>;
}

/** Starts the real `lading` command as a user would, with its own LADING_HOME. */
export function startCli(home: string, args: string[], stdin?: string, env: NodeJS.ProcessEnv = {}): RunningCli {
  const child = spawn(process.execPath, ['--conditions=@lading/source', '--import', 'tsx', main, ...args], {
    env: { ...process.env, ...env, LADING_HOME: home, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ test: (text: string) => boolean; resolve: () => void }> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const waiter of [...waiters]) {
      if (waiter.test(stdout)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin ?? '');
  const done = new Promise<CliResult>((resolveDone) => child.on('close', (code) => resolveDone({ code: code ?? -1, stdout, stderr })));
  return {
    stderr: () => stderr,
    done,
    waitForOutput: (test) =>
      new Promise<void>((resolveWait, reject) => {
        if (test(stdout)) return resolveWait();
        waiters.push({ test, resolve: resolveWait });
        void done.then((result) => reject(new Error(`lading exited (${result.code}) before the expected output: ${result.stderr}`)));
      }),
  };
}

export function runCli(home: string, args: string[], stdin?: string, env?: NodeJS.ProcessEnv): Promise<CliResult> {
  return startCli(home, args, stdin, env).done;
}

/** `lading` run as runCli runs it, keeping every result, for tests that search all the command printed. */
export function recordingCli(home: () => string): { cli: (...args: string[]) => Promise<CliResult>; results: CliResult[] } {
  const results: CliResult[] = [];
  return {
    results,
    cli: async (...args) => {
      const result = await runCli(home(), args);
      results.push(result);
      return result;
    },
  };
}

/** `lading up` of the home on free ports; fails the calling hook unless it succeeds. Returns the registry front door (`127.0.0.1:PORT`). */
export async function upOnFreePorts(home: string, env?: NodeJS.ProcessEnv): Promise<string> {
  const [nats, guard, upstream] = [await freePort(), await freePort(), await freePort()].map(String);
  const up = await runCli(home, ['up', '--nats-port', nats, '--guard-port', guard, '--upstream-port', upstream], undefined, env);
  if (up.code !== 0) throw new Error(`lading up failed (${up.code}): ${up.stderr}`);
  return `127.0.0.1:${guard}`;
}
