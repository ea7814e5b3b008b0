/**
 * A whole stack for install benchmarks: `lading up` on free ports in a temporary LADING_HOME,
 * bundles built and published through it, installs timed from spawn to exit, and everything it
 * made removed afterwards (the stack, its directories, the Docker images of its registry).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { freePort } from '@lading/testkit';
import { runCli } from '../../apps/cli/test/cli-process.js';

const secretName = 'bench-api-token';
/** The credential set `storeCredential` applies. */
export const credentialSetName = 'bench-creds';

export function positiveInteger(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}=${text} is not a positive integer: give a count such as 5`);
  return value;
}

const docker = (...args: string[]) => promisify(execFile)('docker', args);

/**
 * Removes the Docker image references this stack's registry left behind (built invocation
 * images, images pulled by digest for runs), by reference so another stack's share stays.
 */
export async function removeImagesOf(registry: string): Promise<void> {
  const ids = [...new Set((await docker('images', '--quiet', '--no-trunc')).stdout.split('\n').filter(Boolean))];
  // One inspect per image: another engineer's image may vanish between the listing and here.
  const lines = await Promise.all(
    ids.map((id) => docker('image', 'inspect', '--format', '{{json .RepoTags}} {{json .RepoDigests}}', id).then(({ stdout }) => stdout, () => '')),
  );
  const references = lines
    .flatMap((line) => line.trim().split(' ').filter(Boolean))
    .flatMap((list) => (JSON.parse(list) as string[] | null) ?? [])
    .filter((reference) => reference.startsWith(`${registry}/`));
  for (const reference of new Set(references)) await docker('rmi', reference).catch(() => undefined);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface BenchBundle {
  label: string;
  name: string;
  /** `lading install` options beyond the reference. */
  installArgs: string[];
}

/** A bundle that only echoes, with or without one required credential delivered as env. */
export function manifest(registry: string, name: string, withSecret: boolean): string {
  return [
    'schemaVersion: 1.0.0',
    `name: ${name}`,
    'version: 0.1.0',
    `registry: ${registry}/bench`,
    `baseImage: ${registry}/lading/busybox:stable`,
    ...(withSecret ? ['credentials:', '  - { name: api-token, env: API_TOKEN, required: true }'] : []),
    'install:',
    '  - exec: { command: echo, arguments: [installed] }',
    '',
  ].join('\n');
}

export class InstallStack {
  /** `env` is added to the environment of every `lading` command, `lading up` included. */
  constructor(private readonly env: NodeJS.ProcessEnv = {}) {}

  private home = '';
  private work = '';
  private stackUp = false;
  registry = '';

  private async cli(...args: string[]) {
    const result = await runCli(this.home, args, undefined, this.env);
    if (result.code !== 0) throw new Error(`lading ${args.join(' ')} failed (${result.code}): ${result.stderr.trim()}`);
    return result;
  }

  async up(): Promise<void> {
    this.home = await mkdtemp(join(tmpdir(), 'lading-bench-home-'));
    this.work = await mkdtemp(join(tmpdir(), 'lading-bench-work-'));
    const [nats, guard, upstream] = [await freePort(), await freePort(), await freePort()];
    this.stackUp = true;
    this.registry = `127.0.0.1:${guard}`;
    await this.cli('up', '--nats-port', String(nats), '--guard-port', String(guard), '--upstream-port', String(upstream));
  }

  async publish(name: string, withSecret: boolean): Promise<string> {
    const dir = join(this.work, name);
    await mkdir(dir);
    await writeFile(join(dir, 'lading.yaml'), manifest(this.registry, name, withSecret));
    await this.cli('build', '--dir', dir);
    await this.cli('publish', '--dir', dir);
    return `${this.registry}/bench/${name}:v0.1.0`;
  }

  /** As a user does it: the value from a file into the built-in store, then a set mapping to it. */
  async storeCredential(): Promise<void> {
    const valueFile = join(this.work, 'token');
    await writeFile(valueFile, `bench-${randomBytes(16).toString('hex')}`, { mode: 0o600 });
    await this.cli('secrets', 'set', secretName, '--from-file', valueFile);
    await rm(valueFile);
    const setFile = join(this.work, 'creds.yaml');
    await writeFile(
      setFile,
      `schemaVersion: 1.0.1\nname: ${credentialSetName}\ncredentials:\n  - { name: api-token, source: { secret: ${secretName} } }\n`,
    );
    await this.cli('credentials', 'apply', setFile);
  }

  /** Wall time of one `lading install`, from spawning the command to its exit. */
  async timeInstall(installation: string, reference: string, extraArgs: string[]): Promise<number> {
    const started = performance.now();
    await this.cli('install', installation, '--reference', reference, ...extraArgs);
    return performance.now() - started;
  }

  async down(): Promise<void> {
    if (this.stackUp) {
      const result = await runCli(this.home, ['down'], undefined, this.env);
      if (result.code !== 0) console.error(`lading down failed: ${result.stderr.trim()}`);
      this.stackUp = false;
    }
    if (this.registry) await removeImagesOf(this.registry).catch((error: Error) => console.error(`could not remove the bench images: ${error.message}`));
    this.registry = '';
    for (const dir of [this.home, this.work]) if (dir) await rm(dir, { recursive: true, force: true });
    this.home = '';
    this.work = '';
  }
}
