/**
 * How much the registry guard costs a push: `skopeo copy` of a large OCI layout straight to the
 * upstream registry, through the guard's front door, and through a relay that only copies bytes
 * (what any extra hop costs on this machine); the guard's CPU time and peak RSS while blobs stream
 * through it (for two layer sizes, to show it does not grow with the layer); and the latency a
 * manifest PUT by tag gains from the ledger.
 *
 *   NODE_OPTIONS=--conditions=@lading/source npx tsx tools/bench/guard-throughput.ts
 *
 * Env: LADING_BENCH_LAYERS (5), LADING_BENCH_LAYER_MB (100), LADING_BENCH_SMALL_LAYER_MB (10),
 * LADING_BENCH_REPEATS (7), LADING_BENCH_PUTS (50). Starts its own NATS, registry and guard on
 * free ports and removes everything it made. A tool, not a test: it asserts nothing.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { passwordVerifier } from '@lading/service-kit';
import { freePort, startNatsServer, startRegistry, waitForPort } from '@lading/testkit';
import { startGuardProcess } from '../../apps/registry-guard/test/support/guard-process.js';

const run = promisify(execFile);
const MB = 1024 * 1024;
const layers = Number(process.env.LADING_BENCH_LAYERS ?? 5);
const layerMb = Number(process.env.LADING_BENCH_LAYER_MB ?? 100);
const smallLayerMb = Number(process.env.LADING_BENCH_SMALL_LAYER_MB ?? 10);
const repeats = Number(process.env.LADING_BENCH_REPEATS ?? 7);
const puts = Number(process.env.LADING_BENCH_PUTS ?? 50);

const ociManifest = 'application/vnd.oci.image.manifest.v1+json';
/** The administrator the bench pushes through the front door as. */
const adminPassword = randomBytes(12).toString('base64url');

type Path = 'direct' | 'guard' | 'relay';

interface Layout {
  dir: string;
  bytes: number;
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

async function writeBlob(dir: string, bytes: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha256(bytes);
  await writeFile(join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
  return { digest, size: bytes.length };
}

/**
 * A layer of `size` bytes: a unique header, then a shared random pool. Every layer has its own
 * digest, so no registry or skopeo cache can skip the upload, without generating gigabytes of
 * fresh randomness. Nothing in the path compresses, so repetition inside a layer costs the same.
 */
async function writeLayer(dir: string, size: number, pool: Buffer): Promise<{ digest: string; size: number }> {
  const temp = join(dir, 'blobs', `layer-${randomBytes(6).toString('hex')}`);
  const hash = createHash('sha256');
  const out = createWriteStream(temp);
  let failure: Error | undefined;
  out.on('error', (error) => (failure = error));
  let written = 0;
  const write = async (chunk: Buffer) => {
    if (failure) throw failure;
    hash.update(chunk);
    written += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await write(randomBytes(64));
  while (written < size) await write(pool.subarray(0, Math.min(pool.length, size - written)));
  await new Promise<void>((resolve, reject) => out.end(() => (failure ? reject(failure) : resolve())));
  const digest = `sha256:${hash.digest('hex')}`;
  await run('mv', [temp, join(dir, 'blobs', 'sha256', digest.slice(7))]);
  return { digest, size: written };
}

async function makeLayout(root: string, count: number, size: number, pool: Buffer): Promise<Layout> {
  const dir = await mkdtemp(join(root, 'layout-'));
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const written = [];
  for (let i = 0; i < count; i++) written.push(await writeLayer(dir, size, pool));
  const config = await writeBlob(
    dir,
    Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: written.map((layer) => layer.digest) } })),
  );
  const manifest = await writeBlob(
    dir,
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: ociManifest,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: written.map((layer) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer })),
      }),
    ),
  );
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: ociManifest, ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'latest' } }] }),
  );
  return { dir, bytes: written.reduce((sum, layer) => sum + layer.size, 0) + config.size + manifest.size };
}

/** Seconds one `skopeo copy` takes; refuses to report a copy in which skopeo skipped a blob. */
async function skopeoCopy(layout: Layout, destination: string): Promise<number> {
  const started = performance.now();
  const { stdout, stderr } = await run(
    'skopeo',
    // The front door takes pushes only from a principal; the open registries ignore the login.
    ['copy', '--preserve-digests', '--dest-tls-verify=false', '--dest-creds', `admin:${adminPassword}`, `oci:${layout.dir}:latest`, `docker://${destination}`],
    { maxBuffer: 16 * MB },
  );
  const seconds = (performance.now() - started) / 1000;
  if (/already exists|skipped/i.test(stdout + stderr)) throw new Error(`skopeo reused a blob for ${destination}; the figure would be meaningless`);
  return seconds;
}

/** Samples VmRSS of a process every few milliseconds until stopped; returns the peak in MiB. */
function sampleRss(pid: number): { stop(): Promise<number> } {
  let peakKb = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
      const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      peakKb = Math.max(peakKb, kb);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peakKb / 1024;
    },
  };
}

/** CPU seconds (user + system, all threads) a process has used so far. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100;
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const agent = new http.Agent({ keepAlive: true });

function request(base: string, method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function pushBlob(base: string, repository: string, bytes: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha256(bytes);
  const started = await request(base, 'POST', `/v2/${repository}/blobs/uploads/`);
  const location = new URL(String(started.headers.location), base);
  location.searchParams.set('digest', digest);
  const done = await request(base, 'PUT', `${location.pathname}${location.search}`, bytes, { 'content-type': 'application/octet-stream' });
  if (done.status !== 201) throw new Error(`blob upload answered ${done.status}`);
  return { digest, size: bytes.length };
}

/** Milliseconds of each manifest PUT by a fresh tag. */
async function manifestPutTimes(base: string, repository: string, manifest: Buffer, prefix: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < puts; i++) {
    const started = performance.now();
    const answer = await request(base, 'PUT', `/v2/${repository}/manifests/${prefix}-${i}`, manifest, {
      'content-type': ociManifest,
      authorization: `Basic ${Buffer.from(`admin:${adminPassword}`).toString('base64')}`,
    });
    times.push(performance.now() - started);
    if (answer.status !== 201) throw new Error(`manifest PUT answered ${answer.status}`);
  }
  return times;
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

async function main(): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'lading-bench-guard-'));
  const nats = await startNatsServer();
  const registry = await startRegistry();
  const principalsFile = join(scratch, 'principals.json');
  await writeFile(principalsFile, JSON.stringify({ principals: { admin: { namespaces: ['*'], passwordVerifier: passwordVerifier(adminPassword) } } }));
  const guard = await startGuardProcess({ natsUrl: nats.url, upstreamUrl: registry.url, env: { LADING_PRINCIPALS_FILE: principalsFile } });
  const pid = guard.process.child.pid!;
  try {
    const pool = randomBytes(16 * MB);
    console.log(`guard-throughput: ${layers} × ${layerMb} MiB layers, ${repeats} repetitions, ${cpus().length} cores`);

    // Warm both paths (connections, JIT) with a small layout before anything is timed.
    const warm = await makeLayout(scratch, 1, MB, pool);
    await skopeoCopy(warm, `${registry.host}/bench/warm-direct:latest`);
    await skopeoCopy(warm, `${guard.host}/bench/warm-guard:latest`);

    const relayPort = await freePort();
    const relay = spawn(process.execPath, [join(import.meta.dirname, 'byte-relay.mjs'), String(relayPort), new URL(registry.url).port], { stdio: 'inherit' });
    await waitForPort(relayPort);
    const relayHost = `127.0.0.1:${relayPort}`;
    await skopeoCopy(warm, `${relayHost}/bench/warm-relay:latest`);

    const rates: Record<Path, number[]> = { direct: [], guard: [], relay: [] };
    const cpu: Record<'guard' | 'relay', number[]> = { guard: [], relay: [] };
    const hosts: Record<Path, string> = { direct: registry.host, guard: guard.host, relay: relayHost };
    const paths: Path[] = ['direct', 'guard', 'relay'];
    let peakLarge = 0;
    const idle = await rssMb(pid);
    let bytes = 0;
    try {
      for (let rep = 0; rep < repeats; rep++) {
        const layout = await makeLayout(scratch, layers, layerMb * MB, pool);
        bytes = layout.bytes;
        // Rotate the order so page cache, disk state and drifts in machine speed favour no path.
        const order = paths.map((_, i) => paths[(i + rep) % paths.length]!);
        for (const path of order) {
          const processId = path === 'guard' ? pid : path === 'relay' ? relay.pid! : undefined;
          const cpuBefore = processId ? await cpuSeconds(processId) : 0;
          const sampler = path === 'guard' ? sampleRss(pid) : undefined;
          rates[path].push(layout.bytes / MB / (await skopeoCopy(layout, `${hosts[path]}/bench/${path}-${rep}:latest`)));
          if (sampler) peakLarge = Math.max(peakLarge, await sampler.stop());
          if (processId && path !== 'direct') cpu[path].push(((await cpuSeconds(processId)) - cpuBefore) / (layout.bytes / MB / 100));
        }
        await rm(layout.dir, { recursive: true, force: true });
      }
    } finally {
      relay.kill();
    }
    const [direct, guarded, relayed] = [rates.direct, rates.guard, rates.relay];

    const small = await makeLayout(scratch, layers, smallLayerMb * MB, pool);
    const sampler = sampleRss(pid);
    await skopeoCopy(small, `${guard.host}/bench/guard-small:latest`);
    const peakSmall = await sampler.stop();

    const config = await pushBlob(registry.url, 'bench/manifests', Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } })));
    const manifest = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: ociManifest, config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers: [] }),
    );
    await manifestPutTimes(guard.url, 'bench/manifests', manifest, 'warm');
    const directPuts = await manifestPutTimes(registry.url, 'bench/manifests', manifest, 'direct');
    const guardPuts = await manifestPutTimes(guard.url, 'bench/manifests', manifest, 'guard');

    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    console.log(`layout: ${fixed(bytes / MB, 0)} MiB per copy`);
    // Paired: each repetition's copy against the direct copy of the same layout moments apart,
    // which cancels the slow drifts in machine speed that a shared host shows between repetitions.
    const paired = (values: number[]) => median(values.map((value, rep) => value / direct[rep]!));
    const ratio = (values: number[]) =>
      `paired median ${fixed(paired(values), 2)}, mean ${fixed(mean(values) / mean(direct), 2)}, median ${fixed(median(values) / median(direct), 2)}`;
    const rateLine = (values: number[]) => `${values.map((v) => fixed(v)).join(', ')} MiB/s (mean ${fixed(mean(values))}, median ${fixed(median(values))})`;
    console.log(`skopeo copy direct      : ${rateLine(direct)}`);
    console.log(`skopeo copy guard       : ${rateLine(guarded)}`);
    console.log(`skopeo copy byte relay  : ${rateLine(relayed)}`);
    console.log(`throughput ratio guard/direct: ${ratio(guarded)} (aim ≥ 0.90)`);
    console.log(`throughput ratio byte relay/direct: ${ratio(relayed)} (what any extra hop costs on this machine)`);
    console.log(`CPU seconds per 100 MiB: guard ${fixed(mean(cpu.guard), 3)}, byte relay ${fixed(mean(cpu.relay), 3)}`);
    console.log(`guard RSS: idle ${fixed(idle)} MiB; peak ${fixed(peakLarge)} MiB with ${layerMb} MiB layers, ${fixed(peakSmall)} MiB with ${smallLayerMb} MiB layers`);
    console.log(
      `manifest PUT by tag (median of ${puts}): direct ${fixed(median(directPuts), 2)} ms, guard ${fixed(median(guardPuts), 2)} ms, added ${fixed(median(guardPuts) - median(directPuts), 2)} ms`,
    );
  } finally {
    agent.destroy();
    await guard.stop();
    await registry.stop();
    await nats.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

await main();
