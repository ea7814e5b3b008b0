import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { connectDocker, encodeStdinPayload, runBundleContainer, type RunBundleContainerOptions } from '../src/internal.js';
import { containerExists, uniqueName } from './docker-fixtures.js';
import { useProbeImage } from './probe-image.js';
import { startWithholdingEngine } from './withholding-engine.js';

const docker = connectDocker();
const nonce = randomBytes(16).toString('hex');
const suite = useProbeImage(docker);

function runExit(code: number, extra: Partial<RunBundleContainerOptions> = {}, engine = docker) {
  let stdout = '';
  return runBundleContainer(engine, {
    image: suite.image(),
    name: uniqueName('exit'),
    stdinPayload: encodeStdinPayload({ action: 'exit', nonce }),
    labels: { 'sh.lading.test': 'container-exit' },
    owner: suite.owner,
    env: { EXIT_CODE: String(code) },
    onStdout: (chunk) => (stdout += chunk.toString()),
    ...extra,
  }).then((result) => ({ ...result, stdout }));
}

describe("a run's exit status is the engine's, from its die event or its wait answer", () => {
  it('reports the status from the die event when the engine never answers wait', async () => {
    const engine = await startWithholdingEngine((path) => /^\/containers\/[^/]+\/wait$/.test(path));
    try {
      const result = await runExit(42, {}, connectDocker({ socketPath: engine.socketPath }));
      expect(result).toMatchObject({ exitCode: 42, stdout: 'exiting with 42\n' });
      expect(engine.withheld.some((path) => path.endsWith('/wait'))).toBe(true);
    } finally {
      await engine.stop();
    }
  });

  it('reports the status from wait when the engine never sends events', async () => {
    const engine = await startWithholdingEngine((path) => path === '/events');
    try {
      const result = await runExit(5, {}, connectDocker({ socketPath: engine.socketPath }));
      expect(result).toMatchObject({ exitCode: 5, stdout: 'exiting with 5\n' });
      expect(engine.withheld).toContain('/events');
    } finally {
      await engine.stop();
    }
  });

  it("never takes another run's exit for its own: runs ending together each get their status", async () => {
    const codes = [0, 3, 0, 9];
    const results = await Promise.all(codes.map((code) => runExit(code)));
    expect(results.map((result) => result.exitCode)).toEqual(codes);
    for (const result of results) expect(await containerExists(docker, result.containerId)).toBe(false);
  });
});
