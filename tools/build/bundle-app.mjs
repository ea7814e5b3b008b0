#!/usr/bin/env node
// Bundles the app in the current directory into dist/: src/main.ts becomes dist/main.js, and each
// entry of package.json "bundleEntries" (a worker thread's module, say) becomes dist/<name>.js.
// The Lading libraries are read from their TypeScript sources (the @lading/source export
// condition), so an app bundles without its libraries being compiled first. Everything is
// bundled except package.json "dependencies" (modules that cannot be bundled, installed next to
// dist/ instead) and the optional native accelerators below, which their packages load inside a
// try/catch and do without.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

/** Optional native add-ons: ssh2 (under dockerode) falls back to JavaScript when they are absent. */
const optionalNative = ['cpu-features', '*.node'];

// Node's ESM has no require, __filename or __dirname; bundled CommonJS packages use them.
const commonJsShim = [
  "import { createRequire as __ladingCreateRequire } from 'node:module';",
  "import { fileURLToPath as __ladingFileURLToPath } from 'node:url';",
  "import { dirname as __ladingDirname } from 'node:path';",
  'const require = __ladingCreateRequire(import.meta.url);',
  'const __filename = __ladingFileURLToPath(import.meta.url);',
  'const __dirname = __ladingDirname(__filename);',
].join('\n');

const appDir = process.cwd();
const manifest = JSON.parse(await readFile(join(appDir, 'package.json'), 'utf8'));
const outdir = join(appDir, 'dist');
const entries = { main: join(appDir, 'src', 'main.ts'), ...manifest.bundleEntries };

await rm(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: appDir,
  entryPoints: entries,
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  conditions: ['@lading/source'],
  external: [...Object.keys(manifest.dependencies ?? {}), ...optionalNative],
  banner: { js: commonJsShim },
  // The command-line tool keeps each lazily imported command a separate file, loaded only by the
  // commands that need it; a service is one file per entry.
  splitting: Boolean(manifest.bin),
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`${manifest.name}: ${Object.keys(entries).map((name) => `dist/${name}.js`).join(', ')} (${(bytes / 1e6).toFixed(1)} MB)`);
