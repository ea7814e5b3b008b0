import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { freePort } from './free-port.js';
import { startProcess, type RunningProcess } from './child-process.js';
import { waitForPort } from './wait-for.js';

export interface TestRegistry {
  /** host:port, as used in image references. */
  readonly host: string;
  readonly url: string;
  readonly storageDir: string;
  readonly process: RunningProcess;
  /** The one account, when the registry was started with `htpasswd`. */
  readonly credentials?: RegistryAccount;
  stop(): Promise<void>;
}

export interface RegistryAccount {
  username: string;
  password: string;
}

export interface StartRegistryOptions {
  /** Require this account (docker-registry's htpasswd auth): every other request is answered 401. */
  htpasswd?: RegistryAccount;
}

/** Starts a real docker-registry (distribution 2.8) with filesystem storage on a free loopback port. */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'lading-registry-'));
  const storageDir = join(dir, 'data');
  const configFile = join(dir, 'config.yml');
  const account = options.htpasswd;
  const htpasswdFile = join(dir, 'htpasswd');
  // Cost 4: docker-registry checks it on every request, and a test password needs no slow hash.
  if (account) await writeFile(htpasswdFile, `${account.username}:${bcrypt.hashSync(account.password, 4)}\n`);
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
      ...(account ? [`auth: { htpasswd: { realm: lading-test, path: "${htpasswdFile}" } }`] : []),
    ].join('\n'),
  );
  const running = startProcess('docker-registry', ['serve', configFile]);
  try {
    await waitForPort(port);
  } catch (error) {
    // A server that never came up removes its directory too: a failed start leaves nothing.
    await running.stop();
    await rm(dir, { recursive: true, force: true });
    throw new Error(`docker-registry did not start: ${running.output()}`, { cause: error });
  }
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    storageDir,
    process: running,
    credentials: account,
    async stop() {
      await running.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
