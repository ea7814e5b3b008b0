import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@lading/testkit';
import { readStackFile, stackPaths, stackStatus, startStack, stopStack, type StackPorts } from '../src/internal.js';
import { stackGroup } from '../src/service-users.js';
import { stackServices } from '../src/services.js';
import { compileFixture } from './support/compiled-fixture.js';

// A compiled service is one self-contained bundle: `lading up` starts a copy of it placed under the
// stack home, so the stack's users need not reach the checkout (a clone under /root, which is 0700).

const asRoot = process.getuid?.() === 0;
const repoRoot = resolve(import.meta.dirname, '../../..');
const fixture = (name: string) => join(import.meta.dirname, 'fixtures', `${name}.ts`);
const fakeServices = { builder: fixture('fake-service'), guard: fixture('fake-service'), broker: fixture('fake-service'), runner: fixture('fake-service') };

const folders: string[] = [];
const homes: string[] = [];
async function tempFolder(prefix: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

async function freePorts(): Promise<StackPorts> {
  return { nats: await freePort(), upstream: await freePort(), guard: await freePort() };
}

function uidOf(pid: number): number {
  return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

function commandLine(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
}

/** Runs a command as the user and groups of a running process: what that process itself could do. */
function runAs(pid: number, command: string, args: string[]) {
  const groups = /^Groups:\s+(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]!.trim().split(/\s+/).join(',');
  const uid = uidOf(pid);
  return spawnSync('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, `--groups=${groups}`, '--', command, ...args], { encoding: 'utf8' });
}

afterAll(async () => {
  for (const home of homes) await stopStack({ home }).catch(() => undefined);
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

describe('a compiled checkout that no other user can enter', { shuffle: false }, () => {
  let checkout: string;
  let home: string;

  beforeAll(async () => {
    // mkdtemp makes the folder 0700: like /root, other users cannot pass through it.
    const hidden = await tempFolder('lading-private-');
    checkout = join(hidden, 'lading');
    // The stand-in service, compiled as `npm run build` compiles an app: one self-contained file.
    const compiled = await compileFixture('fake-service', hidden);
    for (const service of stackServices) {
      const dist = join(checkout, 'apps', service.app, 'dist');
      await mkdir(dist, { recursive: true });
      await copyFile(compiled, join(dist, 'main.js'));
    }
    home = await tempFolder('lading-home-');
    homes.push(home);
  });

  it('starts every service from its copy under the stack home, not from the checkout', async () => {
    const started = await startStack({ home, repoRoot: checkout, ports: await freePorts() });
    expect(started.message).not.toMatch(/root/);
    const stack = (await readStackFile(home))!;
    for (const service of stackServices) {
      const line = commandLine(stack.processes[service.name]!.pid);
      expect(line, service.name).toContain(join(stackPaths(home).serviceCode(service.role), 'main.js'));
      expect(line, service.name).not.toContain(checkout);
    }
  });

  it('runs no process as root, and says which user each one runs as', async () => {
    const status = await stackStatus({ home });
    expect(status.services).toHaveLength(6);
    for (const service of status.services) {
      expect(service.uid, service.name).toBe(uidOf(service.pid));
      if (asRoot) expect(service.uid, service.name).not.toBe(0);
      else expect(service.uid, service.name).toBe(process.getuid?.());
    }
    if (asRoot) expect(new Set(status.services.map((service) => service.uid)).size, 'one user per process').toBe(6);
  });

  it('keeps the copies root’s: the stack’s users may read them, none may change them', async () => {
    const paths = stackPaths(home);
    const code = join(paths.serviceCode('runner'), 'main.js');
    const folder = statSync(paths.servicesDir);
    const file = statSync(code);
    if (!asRoot) {
      expect(folder.mode & 0o777).toBe(0o700);
      expect(file.mode & 0o777).toBe(0o600);
      return;
    }
    expect([folder.uid, folder.gid, folder.mode & 0o777]).toEqual([0, stackGroup, 0o750]);
    expect([file.uid, file.gid, file.mode & 0o777]).toEqual([0, stackGroup, 0o640]);
    const runner = (await readStackFile(home))!.processes.runner!.pid;
    expect(runAs(runner, 'cat', [code]).status, 'the runner reads its code').toBe(0);
    expect(runAs(runner, 'sh', ['-c', `echo changed >> ${code}`]).status, 'the runner changes its code').not.toBe(0);
    expect(runAs(runner, 'touch', [join(paths.serviceCode('broker'), 'planted.js')]).status, 'the runner plants a file in the broker’s code').not.toBe(0);
  });

  it('starts from a fresh copy after a new build', async () => {
    await stopStack({ home });
    const paths = stackPaths(home);
    const planted = join(paths.serviceCode('builder'), 'left-over.js');
    await copyFile(join(paths.serviceCode('builder'), 'main.js'), planted);
    await startStack({ home, repoRoot: checkout, ports: await freePorts() });
    expect(() => statSync(planted)).toThrow(/ENOENT/);
  });
});

describe('where the host does not allow other users, the stack keeps running as the caller', () => {
  it('says why it stays root when the home is in a folder other users cannot enter', async () => {
    const hidden = await tempFolder('lading-private-');
    const home = join(hidden, 'home');
    homes.push(home);
    const started = await startStack({ home, repoRoot, ports: await freePorts(), services: fakeServices });
    const uids = started.status.services.map((service) => service.uid);
    if (!asRoot) {
      expect(new Set(uids)).toEqual(new Set([process.getuid?.()]));
      return;
    }
    expect(started.message).toMatch(/its processes run as root because other users cannot reach the stack home/);
    expect(new Set(uids)).toEqual(new Set([0]));
  });

  it('says why it stays root when setpriv is missing', async () => {
    if (!asRoot) return;
    // A PATH with the stack's programs but no setpriv.
    const bin = await tempFolder('lading-bin-');
    await chmod(bin, 0o755);
    for (const program of ['nats-server', 'docker-registry']) {
      const found = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).stdout.trim();
      await symlink(found, join(bin, program));
    }
    const home = await tempFolder('lading-home-');
    homes.push(home);
    const path = process.env.PATH;
    process.env.PATH = bin;
    try {
      const started = await startStack({ home, repoRoot, ports: await freePorts(), services: fakeServices });
      expect(started.message).toMatch(/its processes run as root because setpriv \(Debian package util-linux\) is missing/);
      expect(new Set(started.status.services.map((service) => service.uid))).toEqual(new Set([0]));
    } finally {
      process.env.PATH = path;
    }
  });
});
