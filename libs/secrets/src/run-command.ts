import { spawn } from 'node:child_process';

export const MAX_SOURCE_BYTES = 1024 * 1024;

export interface CommandOptions {
  env: Record<string, string | undefined>;
  timeoutMs: number;
  cwd?: string;
}

/**
 * Runs an argument vector without a shell and returns its stdout. stderr is discarded: a
 * failing credential helper may print the secret there. Failures are described by exit code,
 * signal or errno only, never by any output.
 */
export function runCommand(argv: string[], options: CommandOptions): Promise<Buffer> {
  const [file, ...args] = argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      shell: false,
      env: definedOnly(options.env),
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'ignore'],
      windowsHide: true,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let failure: string | undefined;
    const timer = setTimeout(() => {
      failure = `it did not finish within ${options.timeoutMs} ms and was killed`;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_SOURCE_BYTES) {
        failure ??= `it printed more than ${MAX_SOURCE_BYTES} bytes and was killed`;
        child.kill('SIGKILL');
        return;
      }
      chunks.push(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new Error(error.code === 'ENOENT' ? `${file} was not found` : `${file} could not start (${error.code ?? 'unknown error'})`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (failure) reject(new Error(failure));
      else if (code !== 0) reject(new Error(`${file} exited with ${code === null ? `signal ${signal}` : `code ${code}`}`));
      else resolve(Buffer.concat(chunks));
    });
  });
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
