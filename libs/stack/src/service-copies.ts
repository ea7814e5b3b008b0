import { chmod, chown, cp, lstat, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ServiceRole } from '@lading/contracts';
import type { StackPaths } from './layout.js';
import { stackGroup } from './service-users.js';

/** A TypeScript entry runs through tsx with the checkout's sources and node_modules: it cannot be moved. */
export function runsFromCheckout(script: string): boolean {
  return script.endsWith('.ts');
}

/** Root's, readable (not writable) by the stack's group; another user's stays theirs alone. */
async function shareReadOnly(path: string, isFolder: boolean): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await chown(path, 0, stackGroup);
  await chmod(path, isFolder ? (asRoot ? 0o750 : 0o700) : asRoot ? 0o640 : 0o600);
}

async function shareTree(folder: string): Promise<void> {
  for (const entry of await readdir(folder, { recursive: true })) {
    const path = join(folder, entry);
    const info = await lstat(path);
    if (!info.isSymbolicLink()) await shareReadOnly(path, info.isDirectory());
  }
  await shareReadOnly(folder, true);
}

/**
 * Each compiled service is one self-contained bundle (its dist/ folder, see docs/build.md), so
 * `lading up` copies that folder to <home>/services/<role>/ and starts the copy: the stack's
 * users can read it wherever the checkout is (under /root, say), and none can change it. Copied
 * afresh at every start, so a new build takes effect at the next `lading up`. TypeScript entries
 * stay where they are. Returns the script each service is started from.
 */
export async function placeServiceCopies(paths: StackPaths, scripts: ReadonlyMap<ServiceRole, string>): Promise<Map<ServiceRole, string>> {
  await rm(paths.servicesDir, { recursive: true, force: true });
  const placed = new Map<ServiceRole, string>();
  for (const [role, script] of scripts) {
    if (runsFromCheckout(script)) {
      placed.set(role, script);
      continue;
    }
    const copy = paths.serviceCode(role);
    await cp(dirname(script), copy, { recursive: true, dereference: true });
    // Out of the checkout's tree, nothing else says that the bundle's .js files are ES modules.
    await writeFile(join(copy, 'package.json'), '{ "type": "module" }\n');
    placed.set(role, join(copy, basename(script)));
  }
  await shareTree(paths.servicesDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  return placed;
}
