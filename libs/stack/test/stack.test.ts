import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { subjects } from '@lading/contracts';
import { freePort } from '@lading/testkit';
import { verifyPassword } from '@lading/service-kit';
import {
  PortInUseError,
  readStackFile,
  stackPaths,
  stackStatus,
  startStack,
  stopStack,
  type StackPorts,
  type StartStackOptions,
} from '../src/internal.js';
import { compileFixture } from './support/compiled-fixture.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
// The stand-in services run compiled, as `npm run build` leaves the real ones: the stack starts
// copies of them under its home, so what these tests see of users and modes holds wherever the
// checkout is (a clone in a folder only root may enter, say).
const compiledFixtures = new Map<string, string>();
const fixture = (name: string) => compiledFixtures.get(name) as string;
let fakeServices: Record<'builder' | 'guard' | 'broker' | 'runner', string>;
let fixturesFolder: string;

beforeAll(async () => {
  fixturesFolder = await mkdtemp(join(tmpdir(), 'lading-stack-fixtures-'));
  for (const name of ['fake-service', 'broken-service', 'stubborn-service']) compiledFixtures.set(name, await compileFixture(name, fixturesFolder));
  const fake = fixture('fake-service');
  fakeServices = { builder: fake, guard: fake, broker: fake, runner: fake };
});

const homes: string[] = [];
async function tempHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'lading-stack-'));
  homes.push(home);
  return home;
}

async function freePorts(): Promise<StackPorts> {
  return { nats: await freePort(), upstream: await freePort(), guard: await freePort() };
}

const asRoot = process.getuid?.() === 0;

/** A field of /proc/<pid>/status, e.g. `Uid` or `CapEff`. */
function procStatus(pid: number, field: string): string {
  const found = new RegExp(`^${field}:\\s+(.*)$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!found) throw new Error(`/proc/${pid}/status has no ${field}`);
  return found[1]!.trim();
}

const netAdmin = 1n << 12n;

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

/** Gone, or a zombie its parent (this test process) has not reaped yet. */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePort(true)));
  });
}

afterAll(async () => {
  await rm(fixturesFolder, { recursive: true, force: true });
  for (const home of homes) {
    // A home whose stack file a test corrupted on purpose has nothing to stop.
    await stopStack({ home }).catch(() => undefined);
    await rm(home, { recursive: true, force: true });
  }
});

// One scenario in steps (start, look, stop, stop again): its steps keep their order when the rest is shuffled.
describe('a stack started, inspected and stopped', { shuffle: false }, () => {
  let home: string;
  let ports: StackPorts;
  let options: StartStackOptions;

  beforeAll(async () => {
    home = await tempHome();
    ports = await freePorts();
    options = { home, repoRoot, ports, services: fakeServices };
  });

  it('starts NATS, the upstream registry and four services that all become ready', async () => {
    const result = await startStack(options);
    expect(result.alreadyRunning).toBe(false);
    expect(result.status.running).toBe(true);
    expect(result.status.endpoints).toEqual({
      nats: `nats://127.0.0.1:${ports.nats}`,
      registry: `127.0.0.1:${ports.guard}`,
      upstream: `http://127.0.0.1:${ports.upstream}`,
    });
    expect(result.status.services.map((service) => service.name).sort()).toEqual(
      ['builder', 'nats-server', 'registry-guard', 'runner', 'secret-broker', 'upstream-registry'].sort(),
    );
    for (const service of result.status.services) {
      expect(service, service.name).toMatchObject({ alive: true, healthy: true, ready: true });
    }
  });

  it('reports the stack healthy through stackStatus', async () => {
    const status = await stackStatus({ home });
    expect(status.running).toBe(true);
    expect(status.services.every((service) => service.healthy && service.ready)).toBe(true);
  });

  it('closes the upstream registry to everyone but the guard: a direct PUT without its credential gets 401', async () => {
    const upstream = `http://127.0.0.1:${ports.upstream}`;
    expect((await fetch(`${upstream}/v2/`)).status).toBe(401);
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: {}, layers: [] });
    const put = await fetch(`${upstream}/v2/bundles/hello/manifests/v0.1.0`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      body: manifest,
    });
    expect(put.status).toBe(401);
    const upload = await fetch(`${upstream}/v2/bundles/hello/blobs/uploads/`, { method: 'POST' });
    expect(upload.status).toBe(401);
    const wrong = await fetch(`${upstream}/v2/`, { headers: { authorization: `Basic ${Buffer.from('registry-guard:guess').toString('base64')}` } });
    expect(wrong.status).toBe(401);

    const paths = stackPaths(home);
    const password = readFileSync(paths.upstreamPasswordFile, 'utf8').trim();
    const guard = await fetch(`${upstream}/v2/`, { headers: { authorization: `Basic ${Buffer.from(`registry-guard:${password}`).toString('base64')}` } });
    expect(guard.status).toBe(200);
  });

  it('hands each service its own NATS user, state, spans file and role settings', () => {
    const paths = stackPaths(home);
    const envOf = (role: string) => JSON.parse(readFileSync(join(paths.stateDir(role as never), 'env.json'), 'utf8'));
    const guard = envOf('guard');
    expect(guard).toMatchObject({
      LADING_NATS_URL: `nats://127.0.0.1:${ports.nats}`,
      LADING_NATS_USER: 'guard',
      LADING_NATS_PASSWORD_FILE: paths.passwordFile('guard'),
      LADING_STATE_DIR: join(home, 'state', 'guard'),
      LADING_SPANS_FILE: join(home, 'logs', 'spans-guard.jsonl'),
      LADING_UPSTREAM_REGISTRY: `http://127.0.0.1:${ports.upstream}`,
      LADING_GUARD_PORT: String(ports.guard),
      LADING_FORCE_PRINCIPALS: 'admin',
      LADING_PRINCIPALS_FILE: paths.principalsFile,
      LADING_UPSTREAM_USER: 'registry-guard',
      LADING_UPSTREAM_PASSWORD_FILE: paths.upstreamPasswordFile,
      LADING_GUARD_CONTENT_PUSHERS_FILE: paths.contentPushersFile,
    });
    // The guard holds only the verifier of the builder's front-door password; the builder the password.
    const pushers = JSON.parse(readFileSync(paths.contentPushersFile, 'utf8')) as Record<string, string>;
    const builderPassword = readFileSync(paths.builderRegistryPasswordFile, 'utf8').trim();
    expect(Object.keys(pushers)).toEqual(['builder']);
    expect(verifyPassword(builderPassword, pushers.builder!)).toBe(true);
    expect(JSON.stringify(pushers)).not.toContain(builderPassword);
    // The upstream credential is the guard's alone.
    for (const role of ['builder', 'runner', 'broker']) {
      expect(Object.values(envOf(role)), role).not.toContain(paths.upstreamPasswordFile);
    }
    expect(envOf('builder')).toMatchObject({
      LADING_NATS_USER: 'builder',
      LADING_REGISTRY: `127.0.0.1:${ports.guard}`,
      LADING_REGISTRY_USER: 'builder',
      LADING_REGISTRY_PASSWORD_FILE: paths.builderRegistryPasswordFile,
    });
    expect(envOf('runner')).toMatchObject({
      LADING_NATS_USER: 'runner',
      LADING_REGISTRY: `127.0.0.1:${ports.guard}`,
    });
    // The runner names itself, once, in its own state directory: no two stacks share a runner id.
    expect(envOf('runner')).not.toHaveProperty('LADING_RUNNER_ID');
    expect(envOf('broker')).toMatchObject({
      LADING_NATS_USER: 'broker',
      LADING_BROKER_KEY_FILE: join(home, 'keys', 'broker.key'),
      LADING_STORE_KEY_FILE: join(home, 'keys', 'store.key'),
    });
    const healthPorts = ['builder', 'guard', 'broker', 'runner'].map((role) => envOf(role).LADING_HTTP_PORT);
    expect(new Set(healthPorts).size).toBe(4);
  });

  it('keeps the stack file, passwords and keys private', async () => {
    const paths = stackPaths(home);
    expect(mode(paths.stackFile)).toBe(0o600);
    // As root the stack's processes may pass through the secrets folder (not list it), each to its own file.
    expect(mode(paths.secretsDir)).toBe(asRoot ? 0o710 : 0o700);
    expect(mode(paths.keysDir)).toBe(0o700);
    expect(mode(paths.natsConfig)).toBe(0o600);
    for (const role of ['builder', 'guard', 'broker', 'runner'] as const) {
      expect(mode(paths.passwordFile(role)), role).toBe(0o600);
    }
    expect(mode(paths.principalPasswords)).toBe(0o600);
    expect(mode(paths.credentialsFile('admin'))).toBe(0o600);
    expect(mode(paths.natsAccounts)).toBe(0o600);
    expect(mode(paths.upstreamPasswordFile)).toBe(0o600);
    expect(mode(paths.registryHtpasswd)).toBe(0o600);
    expect(mode(paths.builderRegistryPasswordFile)).toBe(0o600);
    expect(mode(paths.contentPushersFile)).toBe(0o600);
    expect(readFileSync(paths.registryHtpasswd, 'utf8')).toMatch(/^registry-guard:\$2[aby]\$/);
    const stack = await readStackFile(home);
    expect(stack).toMatchObject({
      natsUrl: `nats://127.0.0.1:${ports.nats}`,
      frontDoor: `127.0.0.1:${ports.guard}`,
      upstream: `http://127.0.0.1:${ports.upstream}`,
      admin: { user: 'admin', credentialsFile: paths.credentialsFile('admin') },
    });
  });

  it('runs each process as its own unprivileged user when started as root: no capabilities, the runner CAP_NET_ADMIN alone', async () => {
    const stack = (await readStackFile(home))!;
    const entries = Object.entries(stack.processes);
    expect(entries).toHaveLength(6);
    if (!asRoot) {
      // Not root: nothing changes, every process is the caller's.
      for (const [name, entry] of entries) expect(procStatus(entry.pid, 'Uid').split(/\s+/).map(Number)[0], name).toBe(process.getuid?.());
      return;
    }
    const dockerGroup = statSync('/var/run/docker.sock').gid;
    const uids = new Set<number>();
    for (const [name, entry] of entries) {
      const ids = procStatus(entry.pid, 'Uid').split(/\s+/).map(Number);
      expect(new Set(ids).size, `${name}: real, effective, saved and file-system uid alike`).toBe(1);
      expect(ids[0], name).not.toBe(0);
      expect(procStatus(entry.pid, 'Gid').split(/\s+/).map(Number), name).not.toContain(0);
      uids.add(ids[0]!);
      const expected = name === 'runner' ? netAdmin : 0n;
      for (const set of ['CapEff', 'CapPrm', 'CapBnd', 'CapInh']) expect(BigInt(`0x${procStatus(entry.pid, set)}`), `${name} ${set}`).toBe(expected);
      expect(procStatus(entry.pid, 'NoNewPrivs'), name).toBe('1');
      const groups = procStatus(entry.pid, 'Groups').split(/\s+/).map(Number);
      expect(groups.includes(dockerGroup), `${name} in the Docker socket's group`).toBe(name === 'runner' || name === 'builder');
      expect(groups, name).not.toContain(0);
    }
    expect(uids.size, 'one user per process').toBe(6);
  });

  it('lets no process of the stack read another one’s secrets', () => {
    if (!asRoot) return;
    const paths = stackPaths(home);
    const stack = readFileSync(paths.stackFile, 'utf8');
    const pids = JSON.parse(stack).processes as Record<string, { pid: number }>;
    const uidOf = (name: string) => Number(procStatus(pids[name]!.pid, 'Uid').split(/\s+/)[0]);
    // As the process's user, with its groups: what the process itself could read.
    const groupsOf = (name: string) => procStatus(pids[name]!.pid, 'Groups').split(/\s+/).join(',');
    const readAs = (name: string, file: string) =>
      spawnSync('setpriv', [`--reuid=${uidOf(name)}`, `--regid=${uidOf(name)}`, `--groups=${groupsOf(name)}`, '--', 'cat', file], { encoding: 'utf8' });
    const roles = { 'secret-broker': 'broker', 'registry-guard': 'guard', builder: 'builder', runner: 'runner' } as const;
    for (const [name, role] of Object.entries(roles)) {
      for (const other of Object.keys(pids)) {
        expect(readAs(other, paths.passwordFile(role)).status, `${other} reads the NATS password of ${name}`).toBe(other === name ? 0 : 1);
      }
    }
    for (const other of ['runner', 'builder', 'secret-broker', 'nats-server', 'upstream-registry']) expect(readAs(other, paths.upstreamPasswordFile).status, other).not.toBe(0);
    for (const other of ['runner', 'registry-guard', 'nats-server', 'upstream-registry']) expect(readAs(other, paths.builderRegistryPasswordFile).status, other).not.toBe(0);
    for (const name of Object.keys(pids)) {
      for (const file of [paths.principalPasswords, paths.credentialsFile('admin'), paths.stackFile]) expect(readAs(name, file).status, `${name} reads ${file}`).not.toBe(0);
      expect(readAs(name, paths.principalsFile).status, `${name} reads the principals file`).toBe(0);
    }
    expect(readAs('registry-guard', paths.upstreamPasswordFile).status).toBe(0);
  });

  it('lets the administrator in with its credentials file, but not to the lease subject', async () => {
    const stack = await readStackFile(home);
    const credentials = JSON.parse(readFileSync(stack!.admin.credentialsFile, 'utf8'));
    const cli = await connect({ servers: stack!.natsUrl, user: stack!.admin.user, pass: credentials.password, inboxPrefix: '_INBOX_admin' });
    try {
      await expect(cli.request(subjects.broker.lease, 'please', { timeout: 5_000 })).rejects.toThrow(/permission/i);
    } finally {
      await cli.close();
    }
    await expect(connect({ servers: stack!.natsUrl, user: 'admin', pass: 'wrong' })).rejects.toThrow(/authoriz/i);
  });

  it('finds the running stack instead of starting a second one', async () => {
    const before = await readStackFile(home);
    const again = await startStack(options);
    expect(again.alreadyRunning).toBe(true);
    expect(again.message).toMatch(/already running/);
    expect(again.status.running).toBe(true);
    expect(await readStackFile(home)).toEqual(before);
  });

  it('stops every process and frees every port', async () => {
    const stack = await readStackFile(home);
    const result = await stopStack({ home });
    expect(result).toEqual({ stopped: true, message: 'the stack is stopped', killed: [] });
    for (const [name, entry] of Object.entries(stack!.processes)) expect(gone(entry.pid), name).toBe(true);
    const healthPorts = Object.values(stack!.processes).flatMap((entry) => (entry.healthPort ? [entry.healthPort] : []));
    for (const port of [ports.nats, ports.upstream, ports.guard, ...healthPorts]) expect(await portFree(port), String(port)).toBe(true);
    expect(existsSync(stackPaths(home).stackFile)).toBe(false);
    expect(await stackStatus({ home })).toEqual({ running: false, endpoints: null, services: [] });
  });

  it('says nothing is running when stopped twice', async () => {
    expect(await stopStack({ home })).toEqual({ stopped: false, message: 'nothing is running', killed: [] });
  });
});

describe('a stack that cannot start', () => {
  let holder: Server;
  let heldPort: number;

  beforeAll(async () => {
    heldPort = await freePort();
    holder = createServer();
    await new Promise<void>((done) => holder.listen(heldPort, '127.0.0.1', done));
  });
  afterAll(() => new Promise<void>((done) => holder.close(() => done())));

  it('refuses a taken front-door port at once, naming the flag that changes it', async () => {
    const home = await tempHome();
    const ports = { ...(await freePorts()), guard: heldPort };
    const attempt = startStack({ home, repoRoot, ports, services: fakeServices });
    await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
    await expect(attempt).rejects.toThrow(
      `port ${heldPort} (registry front door) is in use: stop what holds it or run \`lading up --guard-port N\``,
    );
    expect(existsSync(join(home, 'stack.json'))).toBe(false);
    expect(existsSync(join(home, 'logs'))).toBe(false);
  });

  it('refuses a taken NATS port the same way', async () => {
    const home = await tempHome();
    const ports = { ...(await freePorts()), nats: heldPort };
    await expect(startStack({ home, repoRoot, ports, services: fakeServices })).rejects.toThrow(
      `port ${heldPort} (NATS) is in use: stop what holds it or run \`lading up --nats-port N\``,
    );
  });

  it('names a service that dies at start, shows its log and stops what it started', async () => {
    const home = await tempHome();
    const ports = await freePorts();
    const attempt = startStack({ home, repoRoot, ports, services: { ...fakeServices, runner: fixture('broken-service') } });
    await expect(attempt).rejects.toThrow(/^runner did not start \(exited with code 3\).*disk is read-only/s);
    expect(existsSync(join(home, 'stack.json'))).toBe(false);
    for (const port of [ports.nats, ports.upstream, ports.guard]) expect(await portFree(port), String(port)).toBe(true);
  });

  it('rejects a missing service script before starting anything', async () => {
    const home = await tempHome();
    const services = { ...fakeServices, builder: join(home, 'nowhere.ts') };
    await expect(startStack({ home, repoRoot, ports: await freePorts(), services })).rejects.toThrow(
      /builder service script .*nowhere\.ts is missing/,
    );
    expect(existsSync(join(home, 'logs'))).toBe(false);
  });

  it('rejects a stack file it cannot read with one clear sentence', async () => {
    const home = await tempHome();
    await writeFile(join(home, 'stack.json'), '{"natsUrl": 1}');
    await expect(readStackFile(home)).rejects.toThrow(/stack\.json is not a valid stack file: .*remove it/);
    await expect(stackStatus({ home })).rejects.toThrow(/not a valid stack file/);
  });
});

describe('a stack left behind', () => {
  it('starts afresh over a stack file whose processes are gone', async () => {
    const home = await tempHome();
    const ports = await freePorts();
    const dead = spawnSync('true').pid as number;
    const stale = {
      natsUrl: 'nats://127.0.0.1:1',
      frontDoor: '127.0.0.1:1',
      upstream: 'http://127.0.0.1:1',
      admin: { user: 'admin', credentialsFile: join(home, 'x') },
      processes: { 'nats-server': { pid: dead, log: join(home, 'x.log') } },
      startedAt: new Date(0).toISOString(),
    };
    await writeFile(join(home, 'stack.json'), JSON.stringify(stale));
    expect((await stackStatus({ home })).running).toBe(false);
    const result = await startStack({ home, repoRoot, ports, services: fakeServices });
    expect(result.alreadyRunning).toBe(false);
    expect(result.status.running).toBe(true);
    await stopStack({ home });
  });

  it('kills a service that ignores SIGTERM', async () => {
    const home = await tempHome();
    const ports = await freePorts();
    await startStack({ home, repoRoot, ports, services: { ...fakeServices, builder: fixture('stubborn-service') } });
    const result = await stopStack({ home });
    expect(result.stopped).toBe(true);
    expect(result.killed).toEqual(['builder']);
  });
});
