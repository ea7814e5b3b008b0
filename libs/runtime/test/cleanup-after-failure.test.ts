/**
 * A suite that fails still removes what it started: an inner vitest run whose test fails while
 * its bundle container runs leaves no container and no network with its owner's labels.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { connectDocker, ensureDockerAvailable, ownerLabels, type ContainerOwner } from '../src/internal.js';
import { containerExists, uniqueName } from './docker-fixtures.js';
import { deliberateFailure, innerOwnerEnv, runningPattern } from './left-behind/owner.js';

const docker = connectDocker();
const projectDir = join(import.meta.dirname, '..');
const vitest = join(projectDir, '../../node_modules/.bin/vitest');

/** Runs the inner suites to their end; their exit code and everything they printed. */
function runInner(owner: ContainerOwner): Promise<{ code: number | null; output: string }> {
  // No JSON report of the inner run: tools/test.sh counts the outer one only.
  const { LADING_TEST_REPORT_DIR: _report, ...env } = process.env;
  const child = spawn(vitest, ['run', '--config', 'test/left-behind/vitest.config.ts', '--color=false'], {
    cwd: projectDir,
    env: { ...env, ...innerOwnerEnv(owner) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

it('leaves no container or network behind when a test fails while its bundle container runs', async () => {
  await ensureDockerAvailable(docker);
  const owner: ContainerOwner = { runnerId: uniqueName('runner'), stackId: uniqueName('stack') };
  const inner = await runInner(owner);
  // The inner test did fail, and did so while a container of this owner was running.
  expect(inner.code, inner.output).toBe(1);
  expect(inner.output).toContain(deliberateFailure);
  const containerId = runningPattern.exec(inner.output)?.[1];
  expect(containerId, inner.output).toBeDefined();

  expect(await containerExists(docker, containerId!)).toBe(false);
  const filters = JSON.stringify({ label: Object.entries(ownerLabels(owner)).map(([key, value]) => `${key}=${value}`) });
  expect(await docker.listContainers({ all: true, filters })).toEqual([]);
  expect(await docker.listNetworks({ filters })).toEqual([]);
});
