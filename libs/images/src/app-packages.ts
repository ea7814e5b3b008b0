import { readdir, readFile, realpath } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { CodedError } from '@lading/contracts/errors';

/** An npm package an app's image carries, bundled into its JavaScript or installed beside it. */
export interface AppPackage {
  name: string;
  version: string;
  license?: string;
  /** Its directory on this machine. */
  dir: string;
  /** Where it goes under /app/node_modules (nested as on this machine), for installed ones. */
  installPath?: string;
}

interface PackageJson {
  name: string;
  version: string;
  license?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const readPackageJson = async (dir: string) => JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as PackageJson;

/**
 * The npm packages esbuild put into the app's bundle files. esbuild heads every module it bundles
 * with a `// path` comment, so the bundle itself says where each part came from; workspace
 * libraries are not npm packages and are not listed.
 */
export async function bundledPackages(appDir: string, distDir: string): Promise<AppPackage[]> {
  const roots = new Set<string>();
  for (const name of (await readdir(distDir, { recursive: true })).map(String)) {
    if (!/\.(m?js)$/.test(name)) continue;
    const text = await readFile(join(distDir, name), 'utf8');
    for (const match of text.matchAll(/^\/\/ (\S*node_modules\/(?:@[^/\s]+\/)?[^/\s]+)\//gm)) roots.add(resolve(appDir, match[1]!));
  }
  const packages: AppPackage[] = [];
  for (const dir of roots) {
    const json = await readPackageJson(dir);
    packages.push({ name: json.name, version: json.version, license: json.license, dir });
  }
  return packages;
}

/**
 * The app's package.json `dependencies` — what its bundle leaves to be installed — and theirs in
 * turn, found as Node finds them from the app's directory. Workspace packages are bundled, so
 * they are skipped; a missing optional dependency is skipped as npm skips it.
 */
export async function installedPackages(appDir: string, workspaceRoot: string): Promise<AppPackage[]> {
  const found = new Map<string, AppPackage>();
  const visit = async (name: string, from: string, optional: boolean): Promise<void> => {
    const dir = await locate(name, from, workspaceRoot);
    if (!dir) {
      if (optional) return;
      throw new CodedError('invalid_request', `${name}, a dependency needed from ${relative(workspaceRoot, from) || '.'}, is not installed: run \`npm ci\`.`);
    }
    if (found.has(dir) || !dir.split('/').includes('node_modules')) return;
    const json = await readPackageJson(dir);
    const installPath = dir.slice(dir.indexOf('/node_modules/') + '/node_modules/'.length);
    found.set(dir, { name: json.name, version: json.version, license: json.license, dir, installPath });
    for (const child of Object.keys(json.dependencies ?? {})) await visit(child, dir, false);
    for (const child of Object.keys(json.optionalDependencies ?? {})) await visit(child, dir, true);
  };
  const app = await readPackageJson(appDir);
  for (const name of Object.keys(app.dependencies ?? {})) {
    const dir = await locate(name, appDir, workspaceRoot);
    if (dir && !dir.split('/').includes('node_modules')) continue;
    await visit(name, appDir, false);
  }
  return [...found.values()];
}

/** Node's lookup: node_modules/NAME in `from` and each parent up to the workspace root; workspace links resolved. */
async function locate(name: string, from: string, workspaceRoot: string): Promise<string | undefined> {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    const real = await realpath(candidate).catch(() => undefined);
    if (real) return real.startsWith(join(workspaceRoot, 'node_modules')) ? candidate : real;
    if (dir === workspaceRoot || dir === dirname(dir)) return undefined;
  }
}
