import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pollUntil } from './probes.js';
import { CodedError } from '@lading/contracts/errors';

export interface DetachedProcess {
  pid: number;
  /** Set once the process has exited (or could not be started), with a short reason. */
  exitReason(): string | undefined;
}

export interface SpawnDetachedOptions {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stdout and stderr are appended here. */
  log: string;
}

/**
 * Starts a process that outlives this one: its own process group, output to a log file, and not
 * holding this process's event loop open.
 */
export async function spawnDetached(options: SpawnDetachedOptions): Promise<DetachedProcess> {
  const out = openSync(options.log, 'a', 0o600);
  let reason: string | undefined;
  try {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', out, out],
    });
    child.once('exit', (code, signal) => (reason = signal ? `killed by ${signal}` : `exited with code ${code}`));
    const failed = new Promise<Error>((resolve) => child.once('error', resolve));
    if (child.pid === undefined) {
      const error = await failed;
      throw new CodedError('upstream_failed', `cannot run ${options.command} (${error.message})`, { cause: error });
    }
    child.once('error', (error) => (reason = error.message));
    child.unref();
    return { pid: child.pid, exitReason: () => reason };
  } finally {
    closeSync(out);
  }
}

function procText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Whether the pid is a live process (not a zombie) whose command line contains `mark`, so a pid
 * recycled after a reboot is never mistaken for ours. Without /proc only the pid is checked.
 */
export function isAlive(pid: number, mark?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = procText(`/proc/${pid}/stat`);
  if (stat === undefined) return true;
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  if (state === 'Z' || state === 'X') return false;
  if (!mark) return true;
  const commandLine = procText(`/proc/${pid}/cmdline`)?.replaceAll('\0', ' ');
  return commandLine === undefined || commandLine.includes(mark);
}

/** The real user id a process runs as, from /proc/<pid>/status; undefined without /proc. */
export function processUid(pid: number): number | undefined {
  const found = /^Uid:\s+(\d+)/m.exec(procText(`/proc/${pid}/status`) ?? '');
  return found ? Number(found[1]) : undefined;
}

function signal(pid: number, name: NodeJS.Signals): void {
  // The whole process group, so helpers a service started go too.
  try {
    process.kill(-pid, name);
  } catch {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  }
}

export interface OwnedProcess {
  name: string;
  pid: number;
  commandMark?: string;
}

/**
 * SIGTERM, wait up to `attempts` × 100 ms for every process to exit, then SIGKILL what is left.
 * Returns the names of the processes that had to be killed.
 */
export async function terminate(processes: OwnedProcess[], attempts = 100): Promise<string[]> {
  const running = processes.filter((entry) => isAlive(entry.pid, entry.commandMark));
  for (const entry of running) signal(entry.pid, 'SIGTERM');
  const stillAlive = () => running.filter((entry) => isAlive(entry.pid, entry.commandMark));
  if (await pollUntil(() => stillAlive().length === 0, attempts)) return [];
  const stubborn = stillAlive();
  for (const entry of stubborn) signal(entry.pid, 'SIGKILL');
  await pollUntil(() => stillAlive().length === 0, attempts);
  return stubborn.map((entry) => entry.name);
}

/** The last lines of a log file, for error messages. */
export async function logTail(file: string, lines = 15): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
