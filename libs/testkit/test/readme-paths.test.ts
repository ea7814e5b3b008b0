/**
 * tools/check-readme-paths.mjs keeps the README's "enforced in" and "proved by" cells true: it
 * passes on the checkout's README, and fails, naming the line and the name, on a copy where a
 * file moved, a function was renamed, or a cell names a package instead of a file.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
const check = join(root, 'tools/check-readme-paths.mjs');
let dir: string;
let readme: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lading-test-readme-'));
  readme = await readFile(join(root, 'README.md'), 'utf8');
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs the check on the README with `from` replaced by `to`; returns its exit status and complaint. */
async function checkChanged(from: string, to: string): Promise<{ status: number; stderr: string }> {
  expect(readme).toContain(from);
  const copy = join(dir, `README-${Math.random().toString(36).slice(2)}.md`);
  await writeFile(copy, readme.replace(from, to));
  return run(process.execPath, [check, '--readme', copy, '--root', root]).then(
    () => ({ status: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => ({ status: error.code, stderr: error.stderr }),
  );
}

describe('the README path check', () => {
  it('passes on the README as it is', async () => {
    const { stdout } = await run(process.execPath, [check]);
    expect(stdout).toContain('every file and function the README names exists');
  });

  it('fails when an "enforced in" file no longer exists', async () => {
    const result = await checkChanged('`libs/oci/src/copy-image.ts`', '`libs/oci/src/image-copy.ts`');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/README line \d+ names libs\/oci\/src\/image-copy\.ts, which does not exist/);
  });

  it('fails when a named function is not declared in the file named with it', async () => {
    const result = await checkChanged('`libs/leases/src/admit-run.ts` (`admitRun`)', '`libs/leases/src/admit-run.ts` (`admitRuns`)');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('libs/leases/src/admit-run.ts declares no admitRuns');
  });

  it('fails when an "enforced in" cell names a package, or a file without its functions', async () => {
    const directory = await checkChanged('`libs/guard/src/ledger/ledger-store.ts` (`LedgerStore`)', '`libs/guard` (`LedgerStore`)');
    expect(directory.stderr).toContain('"enforced in" names the directory libs/guard; name the file and its functions');
    const bare = await checkChanged('`libs/manifest/src/dockerfile.ts` (`renderDockerfile`)', '`libs/manifest/src/dockerfile.ts`');
    expect(bare.stderr).toContain('"enforced in" names libs/manifest/src/dockerfile.ts without the functions');
  });

  it('fails when a test file a "proved by" cell names by its name alone is gone', async () => {
    const result = await checkChanged('`run-network.test.ts`', '`run-networks.test.ts`');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('names run-networks.test.ts, and no file in the checkout has that name');
  });
});
