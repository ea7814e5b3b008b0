#!/usr/bin/env node
// Bundles the app in the current directory into dist/: src/main.ts becomes dist/main.js, and each
// entry of package.json "bundleEntries" (a worker thread's module, say) becomes dist/<name>.js.
// The Lading libraries are read from their TypeScript sources (the @lading/source export
// condition), so an app bundles without its libraries being compiled first. Everything is
// bundled except package.json "dependencies" (modules that cannot be bundled, installed next to
// dist/ instead) and the optional native accelerators (bundle-options.mjs), which their packages load inside a
// try/catch and do without.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleOptions } from './bundle-options.mjs';

const appDir = process.cwd();
const manifest = JSON.parse(await readFile(join(appDir, 'package.json'), 'utf8'));
const outdir = join(appDir, 'dist');
const entries = { main: join(appDir, 'src', 'main.ts'), ...manifest.bundleEntries };

await rm(outdir, { recursive: true, force: true });
const result = await build(bundleOptions({ appDir, manifest, entryPoints: entries, outdir }));
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`${manifest.name}: ${Object.keys(entries).map((name) => `dist/${name}.js`).join(', ')} (${(bytes / 1e6).toFixed(1)} MB)`);
