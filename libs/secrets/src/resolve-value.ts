import { open as openFile } from 'node:fs/promises';
import { basename, isAbsolute, resolve as resolvePath } from 'node:path';
import { splitCommandLine } from './argv.js';
import { SecretStoreError, SourceError } from './errors.js';
import { MAX_SOURCE_BYTES, runCommand } from './run-command.js';
import { sourceKinds as KINDS, type SourceKind } from './source-kinds.js';
import type { ResolveContext, ValueSource } from './types.js';
const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;

/**
 * Resolves one CNAB value-mapping source to its bytes. Every failure is a SourceError naming
 * the set, the entry and the source kind; underlying errors are replaced, not wrapped, because
 * they could quote the value (a file's content, a command's output).
 */
export async function resolveValue(source: ValueSource | Record<string, unknown>, ctx: ResolveContext): Promise<Buffer> {
  const fail = (kind: string, reason: string) => new SourceError(ctx.setLabel, ctx.entryName, kind, reason);
  if (typeof source !== 'object' || source === null) throw fail('unknown', 'the source is not an object');
  const keys = Object.keys(source);
  if (keys.length !== 1) {
    throw fail(keys.length === 0 ? 'empty' : 'ambiguous', `a source needs exactly one of ${KINDS.join(', ')}, found ${keys.length} keys`);
  }
  const kind = keys[0] as string;
  if (!(KINDS as readonly string[]).includes(kind)) {
    throw fail(kind.slice(0, 40), `source kind "${kind.slice(0, 40)}" is not supported: use ${KINDS.join(', ')}`);
  }
  const ref = (source as Record<string, unknown>)[kind];
  if (typeof ref !== 'string') throw fail(kind, `the ${kind} source must be a string`);

  switch (kind as SourceKind) {
    case 'value':
      return Buffer.from(ref, 'utf8');
    case 'env': {
      const value = ctx.env[ref];
      if (value === undefined) throw fail(kind, `environment variable ${ref} is not set`);
      return Buffer.from(value, 'utf8');
    }
    case 'secret': {
      if (!ctx.store) throw fail(kind, 'no secret store is configured');
      let value: Buffer | undefined;
      try {
        value = await ctx.store.get(ref);
      } catch (error) {
        // A store's own errors name the secret and the store, never a value; anything else
        // (a driver's error) is not trusted to be so careful.
        throw fail(kind, error instanceof SecretStoreError ? error.message : `the secret store failed to read ${ref}`);
      }
      if (value === undefined) throw fail(kind, `secret ${ref} does not exist in the store`);
      return value;
    }
    case 'path':
      return readSourceFile(expandHome(ref, ctx), ctx, fail);
    case 'command': {
      let argv: string[];
      try {
        argv = splitCommandLine(ref);
      } catch (error) {
        throw fail(kind, (error as Error).message);
      }
      try {
        const out = await runCommand(argv, {
          env: ctx.env,
          timeoutMs: ctx.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
          cwd: ctx.cwd,
        });
        return stripOneTrailingNewline(out);
      } catch (error) {
        // runCommand's messages hold the exit status or errno only; only the program's base name is
        // added, since later arguments may hold tokens.
        throw fail(kind, `command ${basename(argv[0] as string)} ${(error as Error).message}`);
      }
    }
  }
  throw fail(kind, 'unreachable');
}

async function readSourceFile(
  path: string,
  ctx: ResolveContext,
  fail: (kind: string, reason: string) => SourceError,
): Promise<Buffer> {
  const full = isAbsolute(path) ? path : resolvePath(ctx.cwd ?? process.cwd(), path);
  let handle;
  try {
    handle = await openFile(full, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw fail('path', code === 'ENOENT' ? `file ${full} does not exist` : `file ${full} cannot be opened (${code ?? 'unknown error'})`);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw fail('path', `${full} is a directory, not a file`);
    if (!info.isFile()) throw fail('path', `${full} is not a regular file`);
    if (info.size > MAX_SOURCE_BYTES) throw fail('path', `file ${full} is larger than ${MAX_SOURCE_BYTES} bytes`);
    // Read at most one byte past the cap: the file may have grown since stat.
    const buffer = Buffer.alloc(MAX_SOURCE_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_SOURCE_BYTES) throw fail('path', `file ${full} is larger than ${MAX_SOURCE_BYTES} bytes`);
    return Buffer.from(buffer.subarray(0, bytesRead));
  } catch (error) {
    if (error instanceof SourceError) throw error;
    throw fail('path', `file ${full} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  } finally {
    await handle.close();
  }
}

/** `~/x` and `$HOME/x` (as in CNAB's own examples) use ctx.env.HOME; nothing else is expanded. */
function expandHome(path: string, ctx: ResolveContext): string {
  const home = ctx.env.HOME;
  if (!home) return path;
  if (path === '~' || path === '$HOME' || path === '${HOME}') return home;
  for (const prefix of ['~/', '$HOME/', '${HOME}/']) if (path.startsWith(prefix)) return `${home}/${path.slice(prefix.length)}`;
  return path;
}

function stripOneTrailingNewline(out: Buffer): Buffer {
  if (out.length > 0 && out[out.length - 1] === 0x0a) {
    const end = out.length > 1 && out[out.length - 2] === 0x0d ? out.length - 2 : out.length - 1;
    return out.subarray(0, end);
  }
  return out;
}
