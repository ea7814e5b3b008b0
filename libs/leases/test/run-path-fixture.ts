import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  leasePayloadSchema,
  sealingContexts,
  signedStatements,
  type LeaseAuditEntry,
  type LeasePayload,
  type RunAdmission,
  type RunInput,
  type RunRequest,
  type RunSubmitRequest,
  type SignedRunStatement,
} from '@lading/contracts';
import type { RunStatus } from '@lading/contracts/internal';
import { validateBundle, type Bundle } from '@lading/cnab';
import { AtRestCipher, BuiltinStore, generateSealingKeyPair, generateSigningKeyPair, open, seal, sealingPublicKey, signStatement, type SigningKeyPair } from '@lading/secrets/internal';
import { connectToNats } from '@lading/service-kit/client';
import { startingRunState, startNatsServer } from '@lading/testkit';
import { afterAll, beforeAll, expect } from 'vitest';
import { admitRun, claimRun, finishRun, grantLease, openRunState, type AdmissionDependencies, type LeaseDependencies, type RunPathState } from '../src/internal.js';

const digest = `sha256:${'1'.repeat(64)}`;
export const bundleReference = `127.0.0.1:5000/bundles/demo@sha256:${'2'.repeat(64)}`;

/** A bundle.json as the builder writes it: a required credential, a defaulted and a required sensitive parameter. */
export const demoBundle: Bundle = validateBundle({
  schemaVersion: '1.2.0',
  name: 'demo',
  version: '0.1.0',
  invocationImages: [{ imageType: 'docker', image: `127.0.0.1:5000/bundles/demo@${digest}`, contentDigest: digest }],
  credentials: { 'api-token': { env: 'API_TOKEN', required: true } },
  parameters: {
    greeting: { definition: 'greeting', destination: { env: 'GREETING' } },
    'db-seed': { definition: 'seed', required: true, destination: { env: 'DB_SEED' } },
    replicas: { definition: 'replicas', destination: { env: 'REPLICAS' } },
  },
  definitions: {
    greeting: { type: 'string', default: 'hello' },
    seed: { type: 'string', writeOnly: true },
    replicas: { type: 'integer', default: 1, minimum: 1, maximum: 5 },
  },
});

export interface RunPath {
  state: RunPathState;
  brokerPublicKey: string;
  queued: RunRequest[];
  audit: LeaseAuditEntry[];
  admission: AdmissionDependencies;
  lease: LeaseDependencies;
}

/** The broker's run-path state on a real nats-server; bundle.json is handed in as the front door would return it. */
export async function openRunPath(nc: NatsConnection, options: { lockTtlMs?: number } = {}): Promise<RunPath> {
  const brokerKey = generateSealingKeyPair().privateKey;
  const store = await BuiltinStore.open(nc, new AtRestCipher(randomBytes(32)));
  const state = await openRunState(nc, store, brokerKey, options);
  const queued: RunRequest[] = [];
  const audit: LeaseAuditEntry[] = [];
  return {
    state,
    brokerPublicKey: sealingPublicKey(brokerKey),
    queued,
    audit,
    admission: { ...state, readBundle: async () => demoBundle, enqueue: async (request) => void queued.push(request) },
    lease: { ...state, audit: async (entry) => void audit.push(entry) },
  };
}

/** A run request as `lading install` sends it, its input sealed to the broker for this run. */
export function submitRequest(path: RunPath, fields: Partial<RunSubmitRequest> = {}, input: Partial<RunInput> = {}): RunSubmitRequest {
  const runId = fields.runId ?? randomBytes(12).toString('hex');
  const sealedInput = seal(
    Buffer.from(JSON.stringify({ parameters: { 'db-seed': 'seed-value' }, sources: {}, ...input })),
    path.brokerPublicKey,
    sealingContexts.runInput(runId),
  );
  return {
    runId,
    installation: 'demo',
    namespace: '',
    action: 'install',
    bundleReference,
    credentialSets: [{ name: 'demo-creds', namespace: '' }],
    parameterSets: [],
    input: sealedInput,
    ...fields,
  };
}

/** A runner as the run path knows it: an id and the Ed25519 key it registered. */
export interface TestRunner {
  runnerId: string;
  keys: SigningKeyPair;
  claim(runId: string): SignedRunStatement;
  finish(runId: string): SignedRunStatement;
  lease(runId: string, publicKey: string, ttlMs?: number): { runId: string; runnerId: string; publicKey: string; signature: string; ttlMs?: number };
}

/** `keys` defaults to a fresh pair; passing another runner's pair registers one key under two ids. */
export async function registerRunner(
  path: RunPath,
  runnerId = `runner-${randomBytes(3).toString('hex')}`,
  keys: SigningKeyPair = generateSigningKeyPair(),
): Promise<TestRunner> {
  await path.state.runnerKeys.register(runnerId, keys.publicKey);
  return {
    runnerId,
    keys,
    claim: (runId) => ({ runId, runnerId, signature: signStatement(keys.privateKey, signedStatements.claim(runId, runnerId)) }),
    finish: (runId) => ({ runId, runnerId, signature: signStatement(keys.privateKey, signedStatements.finish(runId, runnerId)) }),
    lease: (runId, publicKey, ttlMs) => ({ runId, runnerId, publicKey, ttlMs, signature: signStatement(keys.privateKey, signedStatements.lease(runId, runnerId, publicKey)) }),
  };
}

/** What one run left on the run path: its admission, the lease its runner opened and the request that was queued. */
export interface RunThrough {
  admission: RunAdmission;
  lease: LeasePayload;
  queued: RunRequest | undefined;
}

/**
 * One run through the broker's run path as a runner drives it: admitted for `caller`, claimed,
 * leased, recorded with `status` and finished; `beforeFinish` does what the run leaves behind
 * (outputs) before the runner says it ended.
 */
export async function runThrough(
  path: RunPath,
  runner: TestRunner,
  request: RunSubmitRequest,
  caller: { principal: string; namespaces: string[]; admin: boolean },
  options: { status?: RunStatus; beforeFinish?: () => Promise<void> } = {},
): Promise<RunThrough> {
  const admission = await admitRun(request, caller, path.admission);
  await claimRun(runner.claim(request.runId), path.state);
  const keys = generateSealingKeyPair();
  const reply = await grantLease(runner.lease(request.runId, keys.publicKey), path.lease);
  const lease = leasePayloadSchema.parse(JSON.parse(open(reply.sealed, keys.privateKey, sealingContexts.lease(request.runId)).toString()));
  await options.beforeFinish?.();
  const { installation, namespace, action } = request;
  await path.state.records.runs.put(request.runId, startingRunState(request.runId, { installation, namespace, action, status: options.status ?? 'succeeded' }));
  await finishRun(runner.finish(request.runId), path.state);
  return { admission, lease, queued: path.queued.find((item) => item.runId === request.runId) };
}

/** A suite's own nats-server with the broker's run path on it and one registered runner. */
export interface RunPathSuite {
  nc: NatsConnection;
  path: RunPath;
  runner: TestRunner;
  stop(): Promise<void>;
}

export async function startRunPathSuite(): Promise<RunPathSuite> {
  const server = await startNatsServer();
  const nc = await connectToNats({ natsUrl: server.url, name: 'test' });
  const path = await openRunPath(nc);
  const runner = await registerRunner(path);
  return {
    nc,
    path,
    runner,
    stop: async () => {
      await nc.close();
      await server.stop();
    },
  };
}

/**
 * A run-path suite for the enclosing `describe`, started before its tests and stopped after, whose
 * admission reads `bundle()` as the run's bundle.json. Read `path` and `runner` inside tests.
 */
export function runPathSuiteReading(bundle: () => Bundle): { readonly path: RunPath; readonly runner: TestRunner } {
  let suite: RunPathSuite | undefined;
  beforeAll(async () => {
    suite = await startRunPathSuite();
    suite.path.admission.readBundle = async () => bundle();
  });
  afterAll(() => suite?.stop());
  const started = (): RunPathSuite => {
    if (!suite) throw new Error('the run-path suite is read before it started: use it inside a test');
    return suite;
  };
  return {
    get path() {
      return started().path;
    },
    get runner() {
      return started().runner;
    },
  };
}

/** That admitting `request` is refused as `refusal` says, with nothing queued or recorded for it. */
export async function expectRefusedAdmission(path: RunPath, request: RunSubmitRequest, caller: Parameters<typeof admitRun>[1], refusal: unknown): Promise<void> {
  const queuedBefore = path.queued.length;
  await expect(admitRun(request, caller, path.admission)).rejects.toMatchObject(refusal as object);
  expect(path.queued.length).toBe(queuedBefore);
  expect(await path.state.admissions.get(request.runId)).toBeUndefined();
}
