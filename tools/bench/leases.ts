/**
 * Lease-path benchmark: the real secret-broker process behind a nats-server with the product's
 * users and permissions, reading bundle.json from a real docker-registry. Each simulated runner
 * does what the runner does for one run — the run is admitted (as `lading install` asks for it)
 * and claimed with the runner's signature, unmeasured; then the runner asks for the lease with a
 * fresh X25519 key, signed, opens it and checks the value (measured), and ends the run. The
 * broker's trivial public-key endpoint, from the same runner connections, is measured alongside
 * as the floor the lease path is compared against.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { NatsConnection } from '@nats-io/nats-core';
import { endpoints, inboxPrefix, leasePayloadSchema, sealingContexts, signedStatements, streams } from '@lading/contracts';
import { RegistryClient } from '@lading/oci';
import { generateSealingKeyPair, generateSigningKeyPair, open, seal, signStatement } from '@lading/secrets';
import { callEndpoint, connectToNats, ensureStream } from '@lading/service-kit/internal';
import { prepareStackHome } from '@lading/stack/internal';
import { brokerSettings, serviceSettings } from '@lading/service-kit/settings';
import { freePort, startNatsServer, startProcess, startRegistry, waitForPort, type RunningProcess, type TestNatsServer, type TestRegistry } from '@lading/testkit';
import { publishTestBundle } from '../../apps/secret-broker/test/published-bundle.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const leasesPerLevel = positiveInteger('LADING_BENCH_LEASES', 200);
const levels = (process.env.LADING_BENCH_LEVELS ?? '1,4,16').split(',').map((text) => parseLevel(text.trim()));
/** Unmeasured leases and echoes per level first, so JIT and connection set-up stay out of the figures. */
const warmupPerLevel = (runners: number) => Math.max(20, 5 * runners);

const secretName = 'bench-api-token';
const secretValue = `bench-value-${randomBytes(16).toString('hex')}`;
const credentialSet = { name: 'bench-creds', namespace: '' };
const credentialName = 'api-token';
const bundleRepository = 'bundles/bench';

function positiveInteger(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}=${text} is not a positive integer: give a count such as 200`);
  return value;
}

function parseLevel(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`LADING_BENCH_LEVELS has "${text}": give concurrency levels such as 1,4,16`);
  return value;
}

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

interface Infrastructure {
  nats: TestNatsServer;
  registry: TestRegistry;
  broker: RunningProcess;
  dir: string;
  passwords: { broker: string; runner: string; admin: string };
}

async function startBrokerProcess(natsUrl: string, registry: string, dir: string, password: string): Promise<RunningProcess> {
  const passwordFile = join(dir, 'broker.password');
  await writeFile(passwordFile, password, { mode: 0o600 });
  const httpPort = await freePort();
  const env = {
    ...process.env,
    [serviceSettings.natsUrl.name]: natsUrl,
    [brokerSettings.registry.name]: registry,
    [serviceSettings.natsUser.name]: 'broker',
    [serviceSettings.natsPasswordFile.name]: passwordFile,
    [serviceSettings.httpPort.name]: String(httpPort),
    [serviceSettings.stateDir.name]: join(dir, 'broker-state'),
    [brokerSettings.brokerKeyFile.name]: join(dir, 'broker-state', 'broker.key'),
    [brokerSettings.storeKeyFile.name]: join(dir, 'broker-state', 'store.key'),
  };
  const broker = startProcess(process.execPath, ['--import', 'tsx', join(repoRoot, 'apps/secret-broker/src/main.ts')], env);
  try {
    // The health server opens only after every endpoint is registered.
    await waitForPort(httpPort, '127.0.0.1', 1200);
  } catch (error) {
    await broker.stop();
    throw new Error(`the secret-broker did not start: ${broker.output()}`, { cause: error });
  }
  return broker;
}

async function startInfrastructure(): Promise<Infrastructure> {
  const dir = await mkdtemp(join(tmpdir(), 'lading-bench-leases-'));
  const prepared = await prepareStackHome(join(dir, 'home'));
  const passwords = { broker: prepared.passwords.services.broker, runner: prepared.passwords.services.runner, admin: prepared.passwords.principals.admin };
  const nats = await startNatsServer(prepared.authorization);
  const registry = await startRegistry();
  try {
    const broker = await startBrokerProcess(nats.url, registry.host, dir, passwords.broker);
    return { nats, registry, broker, dir, passwords };
  } catch (error) {
    await nats.stop();
    await registry.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function stopInfrastructure(infra: Infrastructure): Promise<void> {
  await infra.broker.stop();
  await infra.nats.stop();
  await infra.registry.stop();
  await rm(infra.dir, { recursive: true, force: true });
}

/** As `lading secrets set` and `lading credentials apply` do it: the value sealed to the broker. */
async function storeSecretAndSet(natsUrl: string, password: string): Promise<void> {
  const nc = await connectToNats({ natsUrl, natsUser: 'admin', natsPassword: password, name: 'bench-cli' });
  try {
    const { publicKey } = await callEndpoint(nc, endpoints.brokerPublicKey, {});
    const sealed = seal(Buffer.from(secretValue), publicKey, sealingContexts.secretValue(secretName));
    await callEndpoint(nc, endpoints.secretsSet, { name: secretName, sealed });
    await callEndpoint(nc, endpoints.credentialsApply, {
      document: {
        schemaVersion: '1.0.1',
        name: credentialSet.name,
        credentials: [{ name: credentialName, source: { secret: secretName } }],
      },
    });
  } finally {
    await nc.close();
  }
}

interface Runner {
  id: string;
  nc: NatsConnection;
  sign(statement: string): string;
}

interface Submitter {
  nc: NatsConnection;
  brokerPublicKey: string;
  bundleReference: string;
}

async function connectRunner(natsUrl: string, password: string, index: number): Promise<Runner> {
  const id = `bench-runner-${index}-${randomBytes(4).toString('hex')}`;
  const nc = await connectToNats({ natsUrl, natsUser: 'runner', natsPassword: password, name: id });
  const keys = generateSigningKeyPair();
  await callEndpoint(nc, endpoints.runnersRegister, { runnerId: id, publicKey: keys.publicKey });
  return { id, nc, sign: (statement) => signStatement(keys.privateKey, statement) };
}

interface LeaseTiming {
  /** Admission of the run and the runner's signed claim, as they happen before the lease. */
  putMs: number;
  /** Key generation, the signed lease request and opening the sealed payload. */
  leaseMs: number;
}

async function oneLease(runner: Runner, submitter: Submitter): Promise<LeaseTiming> {
  const runId = randomBytes(12).toString('hex');
  const started = performance.now();
  // Each run its own installation, so runs of different runners never wait on one installation's lock.
  const input = seal(Buffer.from(JSON.stringify({ parameters: {}, sources: {} })), submitter.brokerPublicKey, sealingContexts.runInput(runId));
  await callEndpoint(submitter.nc, endpoints.runsSubmit, {
    runId,
    installation: `bench-${runId}`,
    action: 'install',
    bundleReference: submitter.bundleReference,
    credentialSets: [credentialSet],
    input,
  });
  await callEndpoint(runner.nc, endpoints.runsClaim, { runId, runnerId: runner.id, signature: runner.sign(signedStatements.claim(runId, runner.id)) });
  const claimed = performance.now();
  const keys = generateSealingKeyPair();
  const signature = runner.sign(signedStatements.lease(runId, runner.id, keys.publicKey));
  const lease = await callEndpoint(runner.nc, endpoints.lease, { runId, runnerId: runner.id, publicKey: keys.publicKey, signature });
  const payload = leasePayloadSchema.parse(JSON.parse(open(lease.sealed, keys.privateKey, sealingContexts.lease(runId)).toString('utf8')));
  const done = performance.now();
  if (payload.credentials[credentialName] !== secretValue) throw new Error(`the lease of run ${runId} did not carry the stored value`);
  await callEndpoint(runner.nc, endpoints.runsFinish, { runId, runnerId: runner.id, signature: runner.sign(signedStatements.finish(runId, runner.id)) });
  return { putMs: claimed - started, leaseMs: done - claimed };
}

async function oneEcho(runner: Runner, subject: string, body: Uint8Array): Promise<number> {
  const started = performance.now();
  await runner.nc.request(subject, body, { timeout: 30_000 });
  return performance.now() - started;
}

/** Splits `total` operations over the runners, runs them each in sequence, all runners at once. */
async function concurrently<T>(runners: Runner[], total: number, operation: (runner: Runner) => Promise<T>) {
  const started = performance.now();
  const results = await Promise.all(
    runners.map(async (runner, index) => {
      const mine = Math.floor(total / runners.length) + (index < total % runners.length ? 1 : 0);
      const own: T[] = [];
      for (let i = 0; i < mine; i++) own.push(await operation(runner));
      return own;
    }),
  );
  return { results: results.flat(), seconds: (performance.now() - started) / 1000 };
}

interface LevelResult {
  runners: number;
  leases: number;
  leaseP50: number;
  leaseP99: number;
  putP50: number;
  perSecond: number;
  echoP50: number;
  echoP99: number;
}

async function measureLevel(count: number, infra: Infrastructure, echoSubject: string, submitter: Submitter): Promise<LevelResult> {
  const runners = await Promise.all(Array.from({ length: count }, (_, index) => connectRunner(infra.nats.url, infra.passwords.runner, index)));
  try {
    // Same-sized payload as a lease request, so the echo differs only by what the broker does.
    const echoBody = new TextEncoder().encode(
      JSON.stringify({ runId: 'x'.repeat(24), runnerId: runners[0].id, publicKey: generateSealingKeyPair().publicKey, signature: 'x'.repeat(88) }),
    );
    await concurrently(runners, warmupPerLevel(count), (runner) => oneLease(runner, submitter));
    await concurrently(runners, warmupPerLevel(count), (runner) => oneEcho(runner, echoSubject, echoBody));

    const leases = await concurrently(runners, leasesPerLevel, (runner) => oneLease(runner, submitter));
    const echoes = await concurrently(runners, leasesPerLevel, (runner) => oneEcho(runner, echoSubject, echoBody));
    const leaseMs = leases.results.map((timing) => timing.leaseMs).sort((a, b) => a - b);
    const putMs = leases.results.map((timing) => timing.putMs).sort((a, b) => a - b);
    const echoMs = echoes.results.sort((a, b) => a - b);
    return {
      runners: count,
      leases: leases.results.length,
      leaseP50: percentile(leaseMs, 50),
      leaseP99: percentile(leaseMs, 99),
      putP50: percentile(putMs, 50),
      perSecond: leases.results.length / leases.seconds,
      echoP50: percentile(echoMs, 50),
      echoP99: percentile(echoMs, 99),
    };
  } finally {
    await Promise.all(runners.map((runner) => runner.nc.close()));
  }
}

function printTable(results: LevelResult[]): void {
  const header = ['runners', 'leases', 'lease p50 ms', 'lease p99 ms', 'leases/s', 'admit+claim p50 ms', 'echo p50 ms', 'echo p99 ms', 'p50 lease/echo'];
  const rows = results.map((result) => [
    String(result.runners),
    String(result.leases),
    result.leaseP50.toFixed(2),
    result.leaseP99.toFixed(2),
    result.perSecond.toFixed(0),
    result.putP50.toFixed(2),
    result.echoP50.toFixed(3),
    result.echoP99.toFixed(3),
    `${(result.leaseP50 / result.echoP50).toFixed(1)}x`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padStart(widths[column])).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log(
    '\nlease = fresh X25519 key + signed lease request to the secret-broker + opening and checking the sealed value;\n' +
      'leases/s counts whole runs (admission + signed claim + lease + end of run) over the wall time of the level;\n' +
      'echo = request/reply of the broker\'s trivial public-key endpoint, same broker process, same server, same runner connections.',
  );
}

async function main(): Promise<void> {
  // Child processes resolve `--import tsx` and their packages from the working directory: the checkout.
  process.chdir(repoRoot);
  console.log(`lease benchmark: ${leasesPerLevel} leases per level, runners ${levels.join(', ')} (each its own NATS connection)`);
  const infra = await startInfrastructure();
  const cli = await connectToNats({ natsUrl: infra.nats.url, natsUser: 'admin', natsPassword: infra.passwords.admin, name: 'bench-submitter' });
  const queueOwner = await connectToNats({ natsUrl: infra.nats.url, natsUser: 'runner', natsPassword: infra.passwords.runner, name: 'bench-queue-owner' });
  try {
    // The work queue admitted runs go to, created by its owner as a starting runner does (nothing consumes it here).
    await ensureStream(queueOwner, streams.runs, true);
    await storeSecretAndSet(infra.nats.url, infra.passwords.admin);
    const bundle = { schemaVersion: '1.2.0', name: 'bench', version: '0.1.0', credentials: { [credentialName]: { env: 'API_TOKEN', required: true } } };
    const submitter: Submitter = {
      nc: cli,
      brokerPublicKey: (await callEndpoint(cli, endpoints.brokerPublicKey, {})).publicKey,
      bundleReference: await publishTestBundle(new RegistryClient({ registry: infra.registry.host }), bundleRepository, bundle),
    };
    const results: LevelResult[] = [];
    for (const count of levels) results.push(await measureLevel(count, infra, endpoints.brokerPublicKey.subject, submitter));
    printTable(results);
  } finally {
    await cli.close();
    await queueOwner.close();
    await stopInfrastructure(infra);
  }
}

main().catch((error: unknown) => {
  console.error(`lease benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
