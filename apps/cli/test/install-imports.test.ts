/**
 * `lading install` (and the tracing every command loads) reaches neither Docker's client nor
 * Express: the bundler puts into a command's chunks every module its imports reach, used or not,
 * and those two (with gRPC, ssh2 and body-parser behind them) made each install start slower.
 * Read from the bundler's own import graph of the sources, as `npm run build` bundles them.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

const cliDir = join(import.meta.dirname, '..');

/** Every module the entry reaches through static imports, as the bundler resolves them. */
async function reachedFrom(entry: string): Promise<string[]> {
  const result = await build({
    absWorkingDir: cliDir,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    conditions: ['@lading/source'],
    external: ['cpu-features', '*.node'],
    write: false,
    metafile: true,
    outdir: join(cliDir, 'dist-unused'),
    splitting: true,
    logLevel: 'silent',
  });
  const { inputs } = result.metafile;
  const seen = new Set([entry]);
  const queue = [entry];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const imported of inputs[next]?.imports ?? []) {
      if (imported.kind === 'dynamic-import' || seen.has(imported.path)) continue;
      seen.add(imported.path);
      queue.push(imported.path);
    }
  }
  return [...seen];
}

it.each(['src/commands/run.ts', 'src/command-trace.ts'])('%s reaches neither dockerode nor express', async (entry) => {
  const reached = await reachedFrom(entry);
  // Control: the walk does follow imports into node_modules.
  expect(reached.some((path) => path.includes('node_modules/@opentelemetry/'))).toBe(true);
  expect(reached.filter((path) => /node_modules\/(dockerode|express)\//.test(path))).toEqual([]);
});
