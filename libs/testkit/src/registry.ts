import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { startProcess, type RunningProcess } from './child-process.js';
import { waitForPort } from './wait-for.js';

export interface TestRegistry {
  /** host:port, as used in image references. */
  readonly host: string;
  readonly url: string;
  readonly storageDir: string;
  readonly process: RunningProcess;
  stop(): Promise<void>;
}

/** Starts a real docker-registry (distribution 2.8) with filesystem storage on a free loopback port. */
export async function startRegistry(): Promise<TestRegistry> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'lading-registry-'));
  const storageDir = join(dir, 'data');
  const configFile = join(dir, 'config.yml');
  await writeFile(
    configFile,
    [
      'version: 0.1',
      'log: { level: warn }',
      'storage:',
      `  filesystem: { rootdirectory: "${storageDir}" }`,
      '  delete: { enabled: true }',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '  secret: lading-test-only',
    ].join('\n'),
  );
  const running = startProcess('docker-registry', ['serve', configFile]);
  try {
    await waitForPort(port);
  } catch (error) {
    await running.stop();
    throw new Error(`docker-registry did not start: ${running.output()}`, { cause: error });
  }
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    storageDir,
    process: running,
    async stop() {
      await running.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
