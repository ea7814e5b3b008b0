import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { startProcess, type RunningProcess } from './child-process.js';
import { waitForPort } from './wait-for.js';

export interface TestNatsServer {
  readonly url: string;
  readonly port: number;
  /** The JetStream store directory, for tests that search what reached disk. */
  readonly storeDir: string;
  readonly process: RunningProcess;
  stop(): Promise<void>;
}

/**
 * Starts a real nats-server with JetStream on a free loopback port, in its own temporary store.
 * `extraConfig` is appended to the generated configuration (users, permissions, limits).
 */
export async function startNatsServer(extraConfig = ''): Promise<TestNatsServer> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'lading-nats-'));
  const storeDir = join(dir, 'jetstream');
  const configFile = join(dir, 'nats.conf');
  await writeFile(
    configFile,
    [`listen: "127.0.0.1:${port}"`, `jetstream { store_dir: "${storeDir}" }`, 'max_payload: 8MB', extraConfig].join('\n'),
  );
  const running = startProcess('nats-server', ['-c', configFile]);
  try {
    await waitForPort(port);
  } catch (error) {
    // A server that never came up removes its directory too: a failed start leaves nothing.
    await running.stop();
    await rm(dir, { recursive: true, force: true });
    throw new Error(`nats-server did not start: ${running.output()}`, { cause: error });
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    process: running,
    async stop() {
      await running.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
