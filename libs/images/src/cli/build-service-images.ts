// `bash deploy/images/build.sh [--rebuild] [--out DIR]`: builds lading/<service>:<version> into the local Docker.
import { resolve } from 'node:path';
import { buildServiceImages } from '../service-images.js';

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const unknown = args.filter((arg, i) => arg !== '--rebuild' && arg !== '--out' && args[i - 1] !== '--out');
if (unknown.length > 0) {
  console.error(`build.sh takes --rebuild and --out DIR, not ${unknown.join(' ')}.`);
  process.exit(2);
}
// deploy/images/build.sh runs this, compiled, from the workspace root.
const workspaceRoot = process.cwd();
try {
  await buildServiceImages({
    workspaceRoot,
    outDir: outIndex >= 0 ? resolve(args[outIndex + 1] ?? '') : resolve(workspaceRoot, 'deploy/images/out'),
    rebuild: args.includes('--rebuild'),
    log: (line) => console.log(line),
  });
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
