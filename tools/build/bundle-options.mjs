// How an app is bundled: the one definition that `bundle-app.mjs` builds with and that tests
// read the bundler's import graph with (apps/cli/test/install-imports.test.ts).

/** Optional native add-ons: ssh2 (under dockerode) falls back to JavaScript when they are absent. */
export const optionalNative = ['cpu-features', '*.node'];

// Node's ESM has no require, __filename or __dirname; bundled CommonJS packages use them.
const commonJsShim = [
  "import { createRequire as __ladingCreateRequire } from 'node:module';",
  "import { fileURLToPath as __ladingFileURLToPath } from 'node:url';",
  "import { dirname as __ladingDirname } from 'node:path';",
  'const require = __ladingCreateRequire(import.meta.url);',
  'const __filename = __ladingFileURLToPath(import.meta.url);',
  'const __dirname = __ladingDirname(__filename);',
].join('\n');

/**
 * esbuild's options for the app in `appDir` with package.json `manifest`. The command-line tool
 * (an app with a `bin`) keeps each lazily imported command a separate file, loaded only by the
 * commands that need it, and prefers a package's ES module build where it has one (`module`),
 * which the bundler can prune to what is used: OpenTelemetry's semantic conventions, CommonJS
 * and 200 KB whole, shrink to the names the CLI uses. A service is one file per entry.
 */
export function bundleOptions({ appDir, manifest, entryPoints, outdir }) {
  const cli = Boolean(manifest.bin);
  return {
    absWorkingDir: appDir,
    entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    conditions: ['@lading/source'],
    external: [...Object.keys(manifest.dependencies ?? {}), ...optionalNative],
    banner: { js: commonJsShim },
    splitting: cli,
    ...(cli ? { mainFields: ['module', 'main'] } : {}),
    chunkNames: 'chunks/[name]-[hash]',
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  };
}
