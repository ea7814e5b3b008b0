/**
 * How fast the compiled `lading` is, each figure a ratio against a baseline measured in the same
 * run, alternating with it:
 *
 *   1. `lading --version` against `node -e 0`;
 *   2. `lading installations list` against `node -e 0`, on a stack started by the compiled `lading up`;
 *   3. `lading install` of a one-step bundle (`echo hi`, no credentials) against
 *      `docker run --rm --user 65532 --entrypoint echo <its invocation image> hi`;
 *   4. pinning 200 `images:` references (`resolveDigests`, what a build does) against 200
 *      sequential `skopeo inspect` of the same references, on a docker-registry with token auth,
 *      and against the registry's own floor (the same HEADs by curl, as many in flight, kept open).
 *
 *   LADING_BENCH_ONLY=images runs part 4 alone (it needs no build and no stack), =install part 3
 *   alone, =cli parts 1 to 3;
 *   LADING_BENCH_PIN_CONCURRENCY sets its HEADs in flight (default 16, the builder's).
 *
 *   npm run build && NODE_OPTIONS=--conditions=@lading/source npx tsx tools/bench/cli.ts
 *   LADING_BENCH_STARTS=40 LADING_BENCH_INSTALLS=10 LADING_BENCH_IMAGES=200 NODE_OPTIONS=--conditions=@lading/source npx tsx tools/bench/cli.ts
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { resolveConcurrency, resolveDigest, resolveDigests } from '@lading/build/internal';
import { RegistryClient } from '@lading/oci';
import { freePort } from '@lading/testkit';
import { pushTinyImage } from '../../libs/oci/test/support/tiny-image.js';
import { startTokenRegistry } from '../../libs/oci/test/support/token-registry.js';
import { removeImagesOf } from './install-stack.js';

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, '../..');
const lading = join(repoRoot, 'apps/cli/bin/lading.mjs');
const starts = positiveInteger('LADING_BENCH_STARTS', 20);
const installs = positiveInteger('LADING_BENCH_INSTALLS', 5);
const imageCount = positiveInteger('LADING_BENCH_IMAGES', 200);
const pinConcurrency = positiveInteger('LADING_BENCH_PIN_CONCURRENCY', resolveConcurrency);
const parts = benchParts(process.env.LADING_BENCH_ONLY);

/**
 * `LADING_BENCH_ONLY=images` runs the image pinning alone (no build, no stack), `install` the
 * install figure alone (a stack, no start-up or listing figures), `cli` all but the images; unset runs everything.
 */
function benchParts(text: string | undefined): { cli: boolean; installOnly: boolean; images: boolean } {
  if (text === undefined || text === '') return { cli: true, installOnly: false, images: true };
  if (text === 'images') return { cli: false, installOnly: false, images: true };
  if (text === 'cli') return { cli: true, installOnly: false, images: false };
  if (text === 'install') return { cli: true, installOnly: true, images: false };
  throw new Error(`LADING_BENCH_ONLY=${text} is not a part of this benchmark: give images, install or cli`);
}

function positiveInteger(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}=${text} is not a positive integer: give a count such as 5`);
  return value;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Wall time of one command, from spawning it to its exit; it must succeed. */
async function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  await run(command, args, { env, maxBuffer: 64 * 1024 * 1024 });
  return performance.now() - started;
}

const rows: string[][] = [];
function record(what: string, measured: number[], baselineName: string, baseline: number[], limit: number): void {
  const ratio = median(measured) / median(baseline);
  rows.push([what, median(measured).toFixed(0), baselineName, median(baseline).toFixed(0), `${ratio.toFixed(2)}x`, `${limit}x`, ratio <= limit ? 'met' : 'NOT met']);
  console.log(`${what}: median ${median(measured).toFixed(0)} ms against ${baselineName} ${median(baseline).toFixed(0)} ms: ${ratio.toFixed(2)}x (limit ${limit}x)`);
}

/** Runs `a` and `b` alternately `times` times each: load on the machine then hits both alike. */
async function paired(times: number, a: () => Promise<number>, b: () => Promise<number>): Promise<[number[], number[]]> {
  const first: number[] = [];
  const second: number[] = [];
  for (let round = 0; round < times; round++) {
    first.push(await a());
    second.push(await b());
  }
  return [first, second];
}

class Stack {
  home = '';
  work = '';
  registry = '';
  env: NodeJS.ProcessEnv = {};
  private up = false;

  async start(): Promise<void> {
    this.home = await mkdtemp(join(tmpdir(), 'lading-bench-cli-home-'));
    this.work = await mkdtemp(join(tmpdir(), 'lading-bench-cli-work-'));
    const environment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('LADING_') && name !== 'NODE_OPTIONS'));
    this.env = { ...environment, LADING_HOME: this.home, NO_COLOR: '1' };
    const [nats, guard, upstream] = [await freePort(), await freePort(), await freePort()];
    this.registry = `127.0.0.1:${guard}`;
    this.up = true;
    await this.cli('up', '--nats-port', String(nats), '--guard-port', String(guard), '--upstream-port', String(upstream));
  }

  cli(...args: string[]) {
    return run(process.execPath, [lading, ...args], { env: this.env, maxBuffer: 64 * 1024 * 1024 });
  }

  /** Builds and publishes a bundle whose install is one `echo hi`; returns its reference and invocation image. */
  async publishEcho(): Promise<{ reference: string; image: string }> {
    const dir = join(this.work, 'echo');
    await mkdir(dir);
    await writeFile(
      join(dir, 'lading.yaml'),
      [
        'schemaVersion: 1.0.0',
        'name: bench-echo',
        'version: 0.1.0',
        `registry: ${this.registry}/bench`,
        `baseImage: ${this.registry}/lading/busybox:stable`,
        'install:',
        '  - exec: { command: echo, arguments: [hi] }',
        '',
      ].join('\n'),
    );
    await this.cli('build', '--dir', dir);
    await this.cli('publish', '--dir', dir);
    const bundle = JSON.parse(await readFile(join(dir, '.lading', 'bundle.json'), 'utf8')) as { invocationImages: { image: string }[] };
    return { reference: `${this.registry}/bench/bench-echo:v0.1.0`, image: bundle.invocationImages[0]?.image as string };
  }

  async stop(): Promise<void> {
    if (this.up) await this.cli('down').catch((error: Error) => console.error(`lading down failed: ${error.message}`));
    this.up = false;
    // The invocation image the installs pulled (and the build left) is this stack's alone.
    if (this.registry) await removeImagesOf(this.registry).catch((error: Error) => console.error(`could not remove the bench images: ${error.message}`));
    for (const dir of [this.home, this.work]) if (dir) await rm(dir, { recursive: true, force: true });
  }
}

async function startupFigures(env: NodeJS.ProcessEnv): Promise<void> {
  await timed(process.execPath, [lading, '--version'], env);
  const [version, node] = await paired(
    starts,
    () => timed(process.execPath, [lading, '--version'], env),
    () => timed(process.execPath, ['-e', '0'], env),
  );
  record('lading --version', version, 'node -e 0', node, 4);
}

async function stackFigures(stack: Stack): Promise<void> {
  if (!parts.installOnly) {
    const [list, node] = await paired(
      starts,
      () => timed(process.execPath, [lading, 'installations', 'list'], stack.env),
      () => timed(process.execPath, ['-e', '0'], stack.env),
    );
    record('lading installations list', list, 'node -e 0', node, 6);
  }

  const { reference, image } = await stack.publishEcho();
  // The first install pulls the invocation image into Docker; neither side is measured with that.
  await stack.cli('install', 'bench-echo-warmup', '--reference', reference);
  let round = 0;
  const [install, docker] = await paired(
    installs,
    () => timed(process.execPath, [lading, 'install', `bench-echo-${round++}`, '--reference', reference], stack.env),
    // The image's entrypoint is the run script, which waits for its payload on stdin: the baseline runs echo itself.
    () => timed('docker', ['run', '--rm', '--user', '65532', '--entrypoint', 'echo', image, 'hi'], stack.env),
  );
  record('lading install (echo hi)', install, 'docker run --rm', docker, 1.5);
}

/**
 * What the registry itself needs for the same HEADs: curl asks for every reference with a token
 * fetched beforehand (covering them all, as a build's), `pinConcurrency` at a time over
 * connections kept open. Nothing a client does can pin faster than this.
 */
async function registryFloor(host: string, repositories: string[], password: string): Promise<{ measure(): Promise<number>; remove(): Promise<void> }> {
  const challenge = (await fetch(`http://${host}/v2/`)).headers.get('www-authenticate') ?? '';
  const field = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(challenge)?.[1] ?? '';
  const tokenUrl = new URL(field('realm'));
  tokenUrl.searchParams.set('service', field('service'));
  for (const repository of repositories) tokenUrl.searchParams.append('scope', `repository:${repository}:pull`);
  const answer = await fetch(tokenUrl, { headers: { authorization: `Basic ${Buffer.from(`bench:${password}`).toString('base64')}` } });
  const { token } = (await answer.json()) as { token: string };
  const dir = await mkdtemp(join(tmpdir(), 'lading-bench-floor-'));
  const config = join(dir, 'heads.curlrc');
  // The token goes in the config file, not the command line: it is as long as 200 scopes make it.
  const accept = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';
  const lines = [`header = "Authorization: Bearer ${token}"`, `header = "Accept: ${accept}"`];
  for (const repository of repositories) {
    lines.push(`url = "http://${host}/v2/${repository}/manifests/latest"`, 'head', 'output = /dev/null');
  }
  await writeFile(config, `${lines.join('\n')}\n`);
  return {
    async measure() {
      const started = performance.now();
      await run('curl', ['--silent', '--fail', '--parallel', '--parallel-max', String(pinConcurrency), '--config', config]);
      return performance.now() - started;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** CPU time (user + system) a process has used so far, from /proc, in ms; undefined where /proc is absent. */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 a second on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Wall time of `work`, and the CPU time the process `pid` spent meanwhile. */
async function withCpu(pid: number | undefined, work: () => Promise<number>): Promise<{ ms: number; cpu: number | undefined }> {
  const before = cpuMs(pid);
  const ms = await work();
  const after = cpuMs(pid);
  return { ms, cpu: before === undefined || after === undefined ? undefined : after - before };
}

async function imageFigures(): Promise<void> {
  const users = { bench: 'bench-secret' };
  const registry = await startTokenRegistry(users);
  let floor: Awaited<ReturnType<typeof registryFloor>> | undefined;
  try {
    const writer = new RegistryClient({ registry: registry.host, credentials: { username: 'bench', password: users.bench } });
    const repositories = Array.from({ length: imageCount }, (_, index) => `images/i${index}`);
    for (const repository of repositories) {
      const pushed = await pushTinyImage(writer, repository, repository);
      await writer.putManifest(repository, 'latest', pushed.mediaType, pushed.manifest);
    }
    const references = repositories.map((repository) => `${registry.host}/${repository}:latest`);
    const wanted = references.map((text, index) => ({ text, what: `images.i${index}` }));
    const pin = async () => {
      // A fresh client per build, as the builder's first build of a bundle has: no token cached, no connection open.
      const client = new RegistryClient({ registry: registry.host, credentials: { username: 'bench', password: users.bench } });
      const before = registry.tokenRequests.length;
      const started = performance.now();
      await resolveDigests(wanted, () => client, { concurrency: pinConcurrency });
      return { ms: performance.now() - started, tokens: registry.tokenRequests.length - before };
    };
    floor = await registryFloor(registry.host, repositories, users.bench);
    await pin();
    await floor.measure();
    const pinned: number[] = [];
    const floors: number[] = [];
    const registryCpu = { pin: [] as number[], floor: [] as number[] };
    let tokens = 0;
    for (let round = 0; round < 5; round++) {
      let tokensThisRound = 0;
      const pinRound = await withCpu(registry.pid, async () => {
        const result = await pin();
        tokensThisRound = result.tokens;
        return result.ms;
      });
      pinned.push(pinRound.ms);
      tokens = tokensThisRound;
      const floorRound = await withCpu(registry.pid, () => floor?.measure() ?? Promise.resolve(0));
      floors.push(floorRound.ms);
      if (pinRound.cpu !== undefined && floorRound.cpu !== undefined) {
        registryCpu.pin.push(pinRound.cpu);
        registryCpu.floor.push(floorRound.cpu);
      }
    }
    // What a build did before: one HEAD after another, a token per repository.
    const sequentialClient = new RegistryClient({ registry: registry.host, credentials: { username: 'bench', password: users.bench } });
    const sequentialTokens = registry.tokenRequests.length;
    const sequentialStart = performance.now();
    for (const { text, what } of wanted) await resolveDigest(text, what, () => sequentialClient);
    const sequential = performance.now() - sequentialStart;
    console.log(`pin ${imageCount} images one after another: ${sequential.toFixed(0)} ms (${registry.tokenRequests.length - sequentialTokens} token requests)`);
    const started = performance.now();
    for (const reference of references) {
      await run('skopeo', ['inspect', '--raw', '--tls-verify=false', '--creds', `bench:${users.bench}`, `docker://${reference}`]);
    }
    const skopeo = performance.now() - started;
    const added = median(pinned);
    rows.push([`pin ${imageCount} images: references`, added.toFixed(0), `${imageCount} sequential skopeo inspect`, skopeo.toFixed(0), `${(added / skopeo).toFixed(3)}x`, '≤ 150 ms', added <= 150 ? 'met' : 'NOT met']);
    rows.push([`  (one after another, as before)`, sequential.toFixed(0), '', '', `${(sequential / added).toFixed(1)}x slower`, '', '']);
    rows.push([`  (the registry's floor)`, median(floors).toFixed(0), `curl, ${pinConcurrency} in flight, kept open`, '', `${(added / median(floors)).toFixed(2)}x floor`, '', '']);
    console.log(`pin ${imageCount} images: median ${added.toFixed(0)} ms (${tokens} token request${tokens === 1 ? '' : 's'}) against ${imageCount} sequential skopeo inspect ${skopeo.toFixed(0)} ms`);
    if (registryCpu.pin.length > 0) {
      // CPU time does not stretch with the machine's load as wall time does: the registry's share, comparable across runs.
      console.log(`registry CPU per round: pinning median ${median(registryCpu.pin).toFixed(0)} ms, curl floor median ${median(registryCpu.floor).toFixed(0)} ms`);
    }
    console.log(`registry floor: ${imageCount} HEADs by curl, ${pinConcurrency} in flight over kept connections, one token: median ${median(floors).toFixed(0)} ms [${floors.map((ms) => ms.toFixed(0)).join(' ')}]; pinning [${pinned.map((ms) => ms.toFixed(0)).join(' ')}]`);
  } finally {
    await floor?.remove();
    await registry.stop();
  }
}

/** Start-up, listing and install figures: the compiled CLI and a whole stack. */
async function cliFigures(): Promise<void> {
  if (!existsSync(join(repoRoot, 'apps/cli/dist/main.js'))) throw new Error('the checkout is not built: run `npm run build` first');
  const stack = new Stack();
  const stopOnSignal = (signal: NodeJS.Signals) => {
    console.error(`${signal}: stopping the stack`);
    void stack.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    if (!parts.installOnly) await startupFigures(Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_OPTIONS')));
    await stack.start();
    await stackFigures(stack);
  } finally {
    await stack.stop();
  }
}

async function main(): Promise<void> {
  console.log(`cli benchmark: ${parts.cli ? `${starts} paired starts, ${installs} paired installs, ` : ''}${parts.images ? `${imageCount} image references` : ''}`);
  if (parts.cli) await cliFigures();
  if (parts.images) await imageFigures();
  const header = ['measured', 'median ms', 'baseline', 'median ms', 'ratio', 'limit', 'aim'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] as number)).join('  ');
  console.log(`\n${line(header)}`);
  for (const row of rows) console.log(line(row));
}

main().catch((error: unknown) => {
  console.error(`cli benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
