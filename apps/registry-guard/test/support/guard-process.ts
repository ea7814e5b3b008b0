import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, startProcess, waitForPort, type RegistryAccount, type RunningProcess } from '@lading/testkit';

const mainFile = resolve(import.meta.dirname, '../../src/main.ts');

export interface GuardProcessOptions {
  natsUrl: string;
  /** Upstream registry URL, `http://host:port`. */
  upstreamUrl: string;
  /** host:port that bundle references name; replicas behind one address share it. */
  publicHost?: string;
  /** Front-door port; default a free one. A replacement replica may take its predecessor's. */
  port?: number;
  /** The guard's account at an upstream started with htpasswd; given to it as `lading up` does, by file. */
  upstreamAccount?: RegistryAccount;
  env?: Record<string, string>;
}

export interface GuardProcess {
  /** host:port of this replica's front door. */
  host: string;
  url: string;
  publicHost: string;
  /** Base URL of /healthz, /readyz and /metrics. */
  healthUrl: string;
  process: RunningProcess;
  /** SIGKILL: the process gets no chance to tidy up. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the real registry-guard service (`node --import tsx apps/registry-guard/src/main.ts`). */
export async function startGuardProcess(options: GuardProcessOptions): Promise<GuardProcess> {
  const [port, httpPort] = [options.port ?? (await freePort()), await freePort()];
  const stateDir = await mkdtemp(join(tmpdir(), 'lading-guard-state-'));
  const host = `127.0.0.1:${port}`;
  const publicHost = options.publicHost ?? host;
  const upstreamEnv: Record<string, string> = {};
  if (options.upstreamAccount) {
    const passwordFile = join(stateDir, 'upstream.password');
    await writeFile(passwordFile, `${options.upstreamAccount.password}\n`, { mode: 0o600 });
    upstreamEnv.LADING_UPSTREAM_USER = options.upstreamAccount.username;
    upstreamEnv.LADING_UPSTREAM_PASSWORD_FILE = passwordFile;
  }
  const running = startProcess(process.execPath, [...(process.env.LADING_GUARD_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.LADING_GUARD_PROFILE] : []), '--import', 'tsx', mainFile], {
    ...process.env,
    LADING_NATS_URL: options.natsUrl,
    LADING_UPSTREAM_REGISTRY: options.upstreamUrl,
    LADING_GUARD_PORT: String(port),
    LADING_GUARD_PUBLIC_HOST: publicHost,
    LADING_HTTP_PORT: String(httpPort),
    LADING_STATE_DIR: stateDir,
    LADING_FORCE_PRINCIPALS: 'cli',
    ...upstreamEnv,
    ...options.env,
  });
  const exited = new Promise<void>((resolveExit) => running.child.once('exit', () => resolveExit()));
  // The health port opens last, after the ledger, the endpoints and the front door are up.
  try {
    await waitForPort(httpPort, '127.0.0.1', 600);
  } catch (error) {
    await running.stop();
    throw new Error(`registry-guard did not start: ${running.output()}`, { cause: error });
  }
  const cleanUp = () => rm(stateDir, { recursive: true, force: true });
  return {
    host,
    url: `http://${host}`,
    publicHost,
    healthUrl: `http://127.0.0.1:${httpPort}`,
    process: running,
    async kill() {
      running.child.kill('SIGKILL');
      await exited;
      await cleanUp();
    },
    async stop() {
      await running.stop();
      await cleanUp();
    },
  };
}
