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
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    // Its own process group, so a timeout also ends whatever the command started.
    const child = spawn(file, args, {
      shell: false,
      detached: true,
      env: definedOnly(options.env),
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      killGroup();
      // Not waiting for the pipes to close: a grandchild could keep them open.
      settle(() => reject(new Error(`did not finish within ${options.timeoutMs} ms and was killed`)));
    }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > MAX_SOURCE_BYTES) {
        killGroup();
        settle(() => reject(new Error(`printed more than ${MAX_SOURCE_BYTES} bytes and was killed`)));
        return;
      }
      chunks.push(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      settle(() =>
        reject(new Error(error.code === 'ENOENT' ? 'was not found' : `could not start (${error.code ?? 'unknown error'})`)),
      );
    });
    child.on('close', (code, signal) => {
      settle(() => {
        if (code === 0) resolve(Buffer.concat(chunks));
        else reject(new Error(`exited with ${code === null ? `signal ${signal}` : `code ${code}`}`));
      });
    });
  });
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
