/**
 * tools/check-boundaries.mjs keeps every library's public face small and the only way in: it passes
 * on the checkout and on a small tree that follows the rules, and fails, naming the file and the
 * name, on a copy of that tree where production code goes around a face or a face grows an export
 * no sibling uses.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
const check = join(root, 'tools/check-boundaries.mjs');
let dir: string;

function libraryManifest(name: string): string {
  const entry = (file: string) => ({ '@lading/source': `./src/${file}.ts`, types: `./dist/src/${file}.d.ts`, default: `./dist/src/${file}.js` });
  return JSON.stringify({ name: `@lading/${name}`, exports: { '.': entry('index'), './internal': entry('internal') } });
}

/** A tree that follows the rules: an app using alpha's face, alpha using beta's, a test using alpha's internal entry. */
const rulesKept: Record<string, string> = {
  'apps/app/package.json': JSON.stringify({ name: '@lading/app' }),
  'apps/app/src/main.ts': "import { used } from '@lading/alpha';\nused();\n",
  'apps/app/test/main.test.ts': "import { helper, testOnly } from '@lading/alpha/internal';\nimport { inner } from '../../../libs/beta/src/inner.js';\n",
  'libs/alpha/package.json': libraryManifest('alpha'),
  'libs/alpha/src/index.ts': "// alpha's face.\nexport { used } from './used.js';\n",
  'libs/alpha/src/internal.ts': "export * from './index.js';\nexport { testOnly } from './used.js';\n",
  'libs/alpha/src/used.ts': "import { helper } from '@lading/beta';\nexport function used() { return helper(); }\nexport function testOnly() {}\n",
  'libs/beta/package.json': libraryManifest('beta'),
  'libs/beta/src/index.ts': "export { helper } from './inner.js';\n",
  'libs/beta/src/internal.ts': "export * from './index.js';\n",
  'libs/beta/src/inner.ts': 'export function helper() { return 1; }\nexport function inner() {}\n',
};

/** Runs the check on the rule-keeping tree with `changes` applied (a file set to null is left out). */
async function checkTree(changes: Record<string, string | null> = {}): Promise<{ status: number; output: string }> {
  const tree = join(dir, Math.random().toString(36).slice(2));
  for (const [path, text] of Object.entries({ ...rulesKept, ...changes })) {
    if (text === null) continue;
    await mkdir(dirname(join(tree, path)), { recursive: true });
    await writeFile(join(tree, path), text);
  }
  return run(process.execPath, [check, '--root', tree]).then(
    ({ stdout }) => ({ status: 0, output: stdout }),
    (error: { code: number; stderr: string }) => ({ status: error.code, output: error.stderr }),
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lading-test-boundaries-'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the architecture check', () => {
  it('passes on the checkout, and on a tree that keeps the rules (tests may use internal entries and paths)', async () => {
    const { stdout } = await run(process.execPath, [check]);
    expect(stdout).toContain('production code uses small public faces');
    expect(await checkTree()).toEqual({ status: 0, output: expect.stringContaining('small public faces') });
  });

  it('fails when production code imports an internal entry', async () => {
    const result = await checkTree({ 'apps/app/src/main.ts': "import { used, testOnly } from '@lading/alpha/internal';\nused(); testOnly();\n" });
    expect(result.status).toBe(1);
    expect(result.output).toContain("apps/app/src/main.ts imports @lading/alpha/internal; production code uses the lib's public face");
  });

  it('fails when production code imports a sub-entry the library does not declare, or a path into another project', async () => {
    const result = await checkTree({
      'libs/alpha/src/used.ts': "import { helper } from '@lading/beta';\nimport { inner } from '@lading/beta/inner';\nimport { inner as again } from '../../beta/src/inner.js';\nexport function used() { return helper(); }\nexport function testOnly() {}\n",
    });
    expect(result.status).toBe(1);
    expect(result.output).toContain('libs/alpha/src/used.ts imports @lading/beta/inner, which libs/beta/package.json does not export');
    expect(result.output).toContain('libs/alpha/src/used.ts imports ../../beta/src/inner.js, a path into libs/beta; import the lib by its name');
  });

  it('fails when a face exports a name that only tests, or nobody, import', async () => {
    const result = await checkTree({ 'libs/alpha/src/index.ts': "export { used, testOnly } from './used.js';\n" });
    expect(result.status).toBe(1);
    expect(result.output).toContain(
      "libs/alpha/src/index.ts exports testOnly, which no other project's production code imports; move it to src/internal.ts if tests need it, or drop it",
    );
    expect(result.output).not.toContain('exports used,');
  });

  it('fails when a face re-exports a whole module, which hides what it exports', async () => {
    const result = await checkTree({ 'libs/beta/src/index.ts': "export * from './inner.js';\n" });
    expect(result.status).toBe(1);
    expect(result.output).toContain('libs/beta/src/index.ts re-exports all of ./inner.js; name what the face exports');
  });

  it('fails when a library has no index.ts, or does not export it as "."', async () => {
    const missing = await checkTree({ 'libs/beta/src/index.ts': null });
    expect(missing.output).toContain('libs/beta has no src/index.ts; every lib has a public face');
    const unexported = await checkTree({ 'libs/beta/package.json': JSON.stringify({ name: '@lading/beta', exports: { './internal': {} } }) });
    expect(unexported.status).toBe(1);
    expect(unexported.output).toContain('libs/beta/package.json does not export src/index.ts as "."');
  });
});
