import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '../../../..');

/**
 * Compiles a stand-in service of test/fixtures as `npm run build` compiles an app: one
 * self-contained file, `<into>/<name>/dist/main.js`, which is returned. Started from such a file,
 * the stack runs a copy placed under its home, so its users need not reach the checkout: the
 * tests then hold wherever the checkout is, even in a folder only root may enter.
 */
export async function compileFixture(name: string, into: string): Promise<string> {
  const app = join(into, name);
  await mkdir(join(app, 'src'), { recursive: true });
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: `stand-in-${name}`, type: 'module' }));
  await copyFile(join(import.meta.dirname, '..', 'fixtures', `${name}.ts`), join(app, 'src', 'main.ts'));
  // Its packages, for the bundler to put in: the checkout's own node_modules.
  await symlink(join(repoRoot, 'node_modules'), join(app, 'node_modules'));
  const built = spawnSync(process.execPath, [join(repoRoot, 'tools', 'build', 'bundle-app.mjs')], { cwd: app, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`the stand-in ${name} did not compile: ${built.stderr}`);
  return join(app, 'dist', 'main.js');
}
