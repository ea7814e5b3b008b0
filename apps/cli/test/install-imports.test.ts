/**
 * `lading install` (and the tracing every command loads) reaches neither Docker's client nor
 * Express: the bundler puts into a command's chunks every module its imports reach, used or not,
 * and those two (with gRPC, ssh2 and body-parser behind them) made each install start slower.
 * Read from the bundler's own import graph of the sources, as `npm run build` bundles them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { expect, it } from 'vitest';
import { bundleOptions } from '../../../tools/build/bundle-options.mjs';

const cliDir = join(import.meta.dirname, '..');

/** The bundler's graph of `entry`, bundled and split into chunks as `npm run build` does, in memory. */
async function bundleGraph(entry: string): Promise<Metafile> {
  const manifest = JSON.parse(await readFile(join(cliDir, 'package.json'), 'utf8')) as Record<string, unknown>;
  const options = bundleOptions({ appDir: cliDir, manifest, entryPoints: [entry], outdir: join(cliDir, 'dist-unused') });
  const result = await build({ ...options, write: false, logLevel: 'silent' });
  return result.metafile;
}

/** Every module the entry reaches through static imports, as the bundler resolves them. */
async function reachedFrom(entry: string): Promise<string[]> {
  const { inputs } = await bundleGraph(entry);
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

/** The SDK's own packages: the API (and core's propagator) is all a command without OTEL_* settings needs. */
const sdkPackage = /node_modules\/@opentelemetry\/(sdk-|exporter-|otlp-|resources\/)/;

/**
 * Every source module in the files Node reads when it starts `entry` as `npm run build` bundles
 * it (split into chunks, unused exports dropped), before any dynamic import() runs; and those
 * behind its dynamic imports.
 */
async function bundledModules(entry: string): Promise<{ atStart: string[]; deferred: string[] }> {
  const { outputs } = await bundleGraph(entry);
  const entryOutput = Object.keys(outputs).find((name) => outputs[name]?.entryPoint === entry) as string;
  const loaded = new Set([entryOutput]);
  const queue = [entryOutput];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const imported of outputs[next]?.imports ?? []) {
      if (imported.kind !== 'import-statement' || loaded.has(imported.path)) continue;
      loaded.add(imported.path);
      queue.push(imported.path);
    }
  }
  const modulesOf = (names: string[]) => names.flatMap((name) => Object.keys(outputs[name]?.inputs ?? {}));
  return { atStart: modulesOf([...loaded]), deferred: modulesOf(Object.keys(outputs).filter((name) => !loaded.has(name))) };
}

it('a command without OTEL_* settings or a spans file starts without the OpenTelemetry SDK', async () => {
  const { atStart, deferred } = await bundledModules('src/command-trace.ts');
  // Control: the SDK is in the bundle, behind the import() that export settings take.
  expect(deferred.some((path) => /node_modules\/@opentelemetry\/sdk-metrics\//.test(path))).toBe(true);
  expect(deferred.some((path) => /node_modules\/@opentelemetry\/sdk-trace-base\//.test(path))).toBe(true);
  expect(atStart.some((path) => path.includes('node_modules/@opentelemetry/api/'))).toBe(true);
  expect(atStart.filter((path) => sdkPackage.test(path))).toEqual([]);
});

it('lading install starts without the JSON Schema validator, which only --param values need', async () => {
  const { atStart, deferred } = await bundledModules('src/commands/run.ts');
  // Control: the validator is in the bundle, behind the import() that checks --param values.
  expect(deferred.some((path) => /node_modules\/ajv\//.test(path))).toBe(true);
  expect(atStart.filter((path) => /node_modules\/(ajv|ajv-formats)\//.test(path))).toEqual([]);
});
