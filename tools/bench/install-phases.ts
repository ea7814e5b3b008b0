/**
 * Where the time of one `lading install` goes: each install's spans (from the stack's embedded
 * span store) and Docker's events, on one time line from the CLI's spawn, beside the events of a
 * `docker run --rm` of the same image run right after it.
 *
 *   npm run build && NODE_OPTIONS=--conditions=@lading/source npx tsx tools/bench/install-phases.ts
 *   LADING_BENCH_INSTALLS=8 NODE_OPTIONS=--conditions=@lading/source npx tsx tools/bench/install-phases.ts
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { StoredSpan } from '@lading/telemetry';
import { freePort } from '@lading/testkit';
import { removeImagesOf } from './install-stack.js';

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, '../..');
const lading = join(repoRoot, 'apps/cli/bin/lading.mjs');
const installs = Number(process.env.LADING_BENCH_INSTALLS ?? 4);
if (!Number.isInteger(installs) || installs < 1) throw new Error(`LADING_BENCH_INSTALLS=${process.env.LADING_BENCH_INSTALLS} is not a positive integer: give a count such as 4`);

interface DockerEvent {
  Type: string;
  Action: string;
  timeNano: number;
  Actor?: { Attributes?: Record<string, string> };
}

interface Timed {
  spawned: number;
  exited: number;
  cpu: string;
  traceId: string;
}

const ms = ([seconds, nanoseconds]: [number, number]) => seconds * 1000 + nanoseconds / 1e6;
const at = (time: number, origin: number) => (time - origin).toFixed(0).padStart(6);

/** One command's wall time (Date.now at spawn and exit, to match span times) and its CPU (user, system) from /usr/bin/time. */
async function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Timed & { stderr: string }> {
  const spawned = Date.now();
  const { stderr } = await run('/usr/bin/time', ['-f', 'cpu %U %S', command, ...args], { env, maxBuffer: 1 << 26 });
  const exited = Date.now();
  return { spawned, exited, stderr, cpu: /cpu ([0-9.]+) ([0-9.]+)/.exec(stderr)?.slice(1).join(' + ') ?? '?', traceId: /trace ([0-9a-f]{32})/.exec(stderr)?.[1] ?? '' };
}

function printEvents(events: DockerEvent[], from: number, to: number): void {
  for (const event of events) {
    const time = event.timeNano / 1e6;
    if (time >= from && time <= to) console.log(`${at(time, from)}           docker ${event.Type} ${event.Action} ${event.Actor?.Attributes?.name ?? ''}`);
  }
}

const home = await mkdtemp(join(tmpdir(), 'lading-bench-phases-home-'));
const work = await mkdtemp(join(tmpdir(), 'lading-bench-phases-work-'));
const environment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('LADING_') && name !== 'NODE_OPTIONS'));
const env = { ...environment, LADING_HOME: home, NO_COLOR: '1' };
const cli = (...args: string[]) => run(process.execPath, [lading, ...args], { env, maxBuffer: 1 << 26 });
const [nats, guard, upstream] = [await freePort(), await freePort(), await freePort()];
const registry = `127.0.0.1:${guard}`;
let up = false;
let image = '';
try {
  up = true;
  await cli('up', '--nats-port', String(nats), '--guard-port', String(guard), '--upstream-port', String(upstream));
  const dir = join(work, 'echo');
  await mkdir(dir);
  const manifest = ['schemaVersion: 1.0.0', 'name: bench-phases', 'version: 0.1.0', `registry: ${registry}/bench`, `baseImage: ${registry}/lading/busybox:stable`, 'install:', '  - exec: { command: echo, arguments: [hi] }', ''];
  await writeFile(join(dir, 'lading.yaml'), manifest.join('\n'));
  await cli('build', '--dir', dir);
  await cli('publish', '--dir', dir);
  image = (JSON.parse(await readFile(join(dir, '.lading', 'bundle.json'), 'utf8')) as { invocationImages: { image: string }[] }).invocationImages[0]?.image ?? '';
  const reference = `${registry}/bench/bench-phases:v0.1.0`;
  // The first install pulls the invocation image into Docker; it is not shown.
  await cli('install', 'bench-phases-warmup', '--reference', reference);

  const watcher = spawn('docker', ['events', '--format', '{{json .}}'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let eventText = '';
  watcher.stdout.on('data', (chunk: Buffer) => (eventText += chunk.toString()));
  // Docker sends nothing until an event happens: a throwaway network shows the watch is on.
  await run('docker', ['network', 'create', `lading-bench-phases-${guard}`]);
  await run('docker', ['network', 'rm', `lading-bench-phases-${guard}`]);
  while (!eventText.includes(`lading-bench-phases-${guard}`)) await new Promise((done) => watcher.stdout.once('data', done));

  const pairs: Array<{ install: Timed; docker: Timed }> = [];
  for (let round = 0; round < installs; round++) {
    const install = await timed(process.execPath, [lading, 'install', `bench-phases-${round}`, '--reference', reference], env);
    const docker = await timed('docker', ['run', '--rm', '--user', '65532', '--entrypoint', 'echo', image, 'hi'], env);
    pairs.push({ install, docker });
  }
  // The removal of the last run's container, after its reply, is part of what the events show.
  await run('docker', ['network', 'create', `lading-bench-phases-end-${guard}`]);
  await run('docker', ['network', 'rm', `lading-bench-phases-end-${guard}`]);
  while (!eventText.includes(`lading-bench-phases-end-${guard}`)) await new Promise((done) => watcher.stdout.once('data', done));
  watcher.kill();

  const spans: StoredSpan[] = [];
  for (const name of await readdir(join(home, 'logs'))) {
    if (!name.startsWith('spans-')) continue;
    for (const line of (await readFile(join(home, 'logs', name), 'utf8')).split('\n')) if (line) spans.push(JSON.parse(line) as StoredSpan);
  }
  const events = eventText
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as DockerEvent);
  for (const [round, { install, docker }] of pairs.entries()) {
    console.log(`\ninstall ${round}: ${install.exited - install.spawned} ms (CPU ${install.cpu} s); docker run --rm: ${docker.exited - docker.spawned} ms (CPU ${docker.cpu} s)`);
    console.log('  from spawn (ms)  span or Docker event');
    const trace = spans.filter((span) => span.traceId === install.traceId).sort((a, b) => ms(a.start) - ms(b.start));
    for (const span of trace) {
      const took = (ms(span.end) - ms(span.start)).toFixed(1).padStart(7);
      const reportedBy = span.attributes?.['lading.container.exit_reported_by'];
      console.log(`${at(ms(span.start), install.spawned)} → ${at(ms(span.end), install.spawned)}  ${took} ms  ${String(span.service).padEnd(21)} ${span.name}${reportedBy ? ` (exit from the ${String(reportedBy)})` : ''}`);
    }
    printEvents(events, install.spawned, install.exited);
    console.log(`${at(install.exited, install.spawned)}           lading install exits`);
    console.log('  docker run --rm, from its spawn:');
    printEvents(events, docker.spawned, docker.exited);
    console.log(`${at(docker.exited, docker.spawned)}           docker run exits`);
  }
} finally {
  if (up) await cli('down').catch((error: Error) => console.error(`lading down failed: ${error.message}`));
  // The image references this stack's registry put into Docker (the build's tag, the runs' pull by digest).
  await removeImagesOf(registry).catch((error: Error) => console.error(`could not remove the bench images: ${error.message}`));
  await rm(home, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
}
