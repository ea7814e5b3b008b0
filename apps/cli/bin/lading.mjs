#!/usr/bin/env node
// The `lading` command runs its compiled bundle. This launcher exists so that the command is
// linked by `npm ci` in a checkout before anything is built, and says what to do until then.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/main.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('lading: this checkout is not built (apps/cli/dist/main.js is missing): run `npm run build` first\n');
  process.exit(1);
}
await import(bundle.href);
