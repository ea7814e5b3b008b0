/**
 * Real parts for executeRun tests: a registry holding bundles built the way `lading build` and
 * `lading publish` make them, and the broker's side of a run (lease, sealed outputs) wired
 * in-process over a real nats-server.
 */
import type Docker from 'dockerode';
import type { NatsConnection } from '@nats-io/nats-core';
import { sealingContexts, signedStatements, type LeaseAuditEntry, type RunEvent, type RunInput, type RunRequest } from '@lading/contracts';
import { buildBundle } from '@lading/build';
import { validateBundle, type Bundle } from '@lading/cnab';
import { admitRun, claimRun, finishRun, grantLease, openRunState, type LeaseDependencies } from '@lading/leases/internal';
import { parseManifest, renderDockerfile, renderRunScript, toBundleJson } from '@lading/manifest';
import { copyImage, parseReference, prepareBundleIndex, pullBundle, pushDockerArchive, RegistryClient, type ManifestHead } from '@lading/oci';
import { assembleBuildContext, buildImage, makeBusyboxBaseImage, saveImage } from '@lading/runtime';
import {
  AtRestCipher,
  BuiltinStore,
  generateSealingKeyPair,
  generateSigningKeyPair,
  open,
  runScopedSecretName,
  seal,
  sealingPublicKey,
  signStatement,
  type SecretStore,
} from '@lading/secrets';
import { openBucket } from '@lading/service-kit';
import { RunRecords, SetStore } from '@lading/store';
import { administratorCaller } from '@lading/testkit';
import { randomBytes } from 'node:crypto';
import type { ExecutionDependencies } from '../src/internal.js';

export const baseRepository = 'lading/busybox';

/** Imports the busybox base image under a test tag and pushes it as `<host>/lading/busybox:stable`. */
export async function seedBaseImage(docker: Docker, registry: RegistryClient, localTag: string): Promise<string> {
  const imageId = await makeBusyboxBaseImage(docker, { tag: localTag });
  const pushed = await pushDockerArchive(registry, baseRepository, await saveImage(docker, imageId));
  const manifest = await registry.getManifest(baseRepository, pushed.digest);
  await registry.putManifest(baseRepository, 'stable', manifest.mediaType, manifest.body);
  return `${registry.registry}/${baseRepository}:stable`;
}

/**
 * Tags a bundle.json's CNAB-in-OCI index and returns `registry/repository@sha256:<index digest>`.
 * As `lading publish` does, referenced images are copied into the bundle's repository and listed
 * in the index — unless `leaveImagesBehind`, to publish a bundle whose images did not travel.
 */
export async function publishBundle(
  registry: RegistryClient,
  bundle: { images?: unknown },
  tag: string,
  invocationDigest: string,
  options: { leaveImagesBehind?: boolean } = {},
): Promise<string> {
  const target = parseReference(tag);
  const invocation = await registry.headManifest(target.repository, invocationDigest);
  if (!invocation) throw new Error(`invocation image ${invocationDigest} is not in ${target.repository}`);
  const components: Record<string, ManifestHead> = {};
  const images = (bundle.images ?? {}) as Record<string, { image: string }>;
  for (const [name, { image }] of options.leaveImagesBehind ? [] : Object.entries(images)) {
    const referenced = parseReference(image);
    components[name] = await copyImage(registry, { fromRepo: referenced.repository, digest: referenced.digest ?? '' }, target.repository);
  }
  const index = await prepareBundleIndex(registry, target.repository, bundle, invocation, { components });
  await registry.putManifest(target.repository, target.tag ?? 'latest', index.mediaType, index.body);
  return `${target.registry}/${target.repository}@${index.digest}`;
}

export interface PublishedBundle {
  reference: string;
  bundle: Bundle;
  tag: string;
  invocationDigest: string;
}

/** `lading build` + `lading publish` of a hand-written lading.yaml. */
export async function buildAndPublish(docker: Docker, registry: RegistryClient, manifestText: string): Promise<PublishedBundle> {
  const built = await buildBundle({
    files: [{ path: 'lading.yaml', mode: 0o644, content: Buffer.from(manifestText) }],
    docker,
    registryFor: () => registry,
    log: () => undefined,
  });
  const invocationDigest = String((built.bundle.invocationImages as Array<{ contentDigest: string }>)[0].contentDigest);
  const reference = await publishBundle(registry, built.bundle, built.tag, invocationDigest);
  return { reference, bundle: built.bundle, tag: built.tag, invocationDigest };
}

/**
 * Builds the invocation image from the Dockerfile Lading renders, with its last USER replaced
 * by root (as a hostile or careless bundle author could), and publishes it as a bundle.
 */
export async function buildAndPublishAsRoot(docker: Docker, registry: RegistryClient, manifestText: string): Promise<PublishedBundle> {
  const manifest = parseManifest(manifestText, 'lading.yaml');
  if (manifest.baseImage === undefined) throw new Error('the manifest of a root-built fixture must name its baseImage');
  const baseTag = parseReference(manifest.baseImage);
  const baseHead = await registry.headManifest(baseTag.repository, baseTag.tag ?? 'latest');
  if (!baseHead) throw new Error('the base image is not in the registry');
  const baseReference = `${baseTag.registry}/${baseTag.repository}@${baseHead.digest}`;
  const dockerfile = renderDockerfile(manifest, { baseImageDigestRef: baseReference }).replace(/^USER .*$/m, 'USER 0');
  if (!dockerfile.includes('USER 0')) throw new Error('the rendered Dockerfile has no USER line to replace');
  const context = assembleBuildContext({ files: [], dockerfile, runScript: renderRunScript(manifest) });
  const imageId = await buildImage(docker, context, { labels: { 'sh.lading.bundle': manifest.name } });
  const tag = `${manifest.registry}/${manifest.name}:v${manifest.version}`;
  const target = parseReference(tag);
  const pushed = await pushDockerArchive(registry, target.repository, await saveImage(docker, imageId));
  const bundle = validateBundle(
    toBundleJson(manifest, {
      baseImage: { reference: baseReference, digest: baseHead.digest },
      images: {},
      invocationImage: { reference: `${target.registry}/${target.repository}@${pushed.digest}`, digest: pushed.digest, mediaType: pushed.mediaType, size: pushed.size },
    }),
  );
  const reference = await publishBundle(registry, bundle, tag, pushed.digest);
  return { reference, bundle, tag, invocationDigest: pushed.digest };
}

/** The broker's half of a run, in-process: sets, the built-in store, admissions, leases and sealed outputs. */
export interface BrokerSide {
  records: RunRecords;
  store: SecretStore;
  credentialSets: SetStore;
  parameterSets: SetStore;
  audit: LeaseAuditEntry[];
  leaseDependencies: LeaseDependencies;
  /** Answers the runner's requests the way apps/secret-broker does, for the runner `runnerId`. */
  parts: Pick<ExecutionDependencies, 'runnerId' | 'sign' | 'requestLease' | 'brokerPublicKey' | 'storeSensitiveOutput'>;
  /**
   * Admits a run as `lading install` asks for it (command-line parameters sealed to the broker)
   * and claims it for `parts.runnerId`; returns the work item the broker queued.
   */
  admit(request: RunRequest, input?: Partial<RunInput>): Promise<RunRequest>;
  /** Ends a run on the broker's side, as the runner does after it. */
  finish(runId: string): Promise<void>;
}

export async function startBrokerSide(nc: NatsConnection, registry: RegistryClient): Promise<BrokerSide> {
  const records = await RunRecords.open((name) => openBucket(nc, name));
  const store = await BuiltinStore.open(nc, new AtRestCipher(randomBytes(32)));
  const brokerKey = generateSealingKeyPair();
  const state = await openRunState(nc, store, brokerKey.privateKey);
  const audit: LeaseAuditEntry[] = [];
  const leaseDependencies: LeaseDependencies = { ...state, audit: async (entry) => void audit.push(entry) };
  const runnerId = 'runner-test';
  const signing = generateSigningKeyPair();
  await state.runnerKeys.register(runnerId, signing.publicKey);
  const sign = (statement: string) => signStatement(signing.privateKey, statement);
  const publicKey = sealingPublicKey(brokerKey.privateKey);
  return {
    records,
    store,
    credentialSets: state.credentialSets,
    parameterSets: state.parameterSets,
    audit,
    leaseDependencies,
    parts: {
      runnerId,
      sign,
      requestLease: (request) => grantLease(request, leaseDependencies),
      brokerPublicKey: async () => publicKey,
      storeSensitiveOutput: async ({ runId, output, sealed }) => {
        const secretName = runScopedSecretName(runId, 'output', output);
        await store.set(secretName, open(sealed, brokerKey.privateKey, sealingContexts.output(runId, output)));
        return { secretName };
      },
    },
    async admit(request, input = {}) {
      const queued: RunRequest[] = [];
      const runInput = { parameters: { ...request.parameters, ...input.parameters }, sources: input.sources ?? {} };
      await admitRun(
        {
          runId: request.runId,
          installation: request.installation,
          namespace: request.namespace,
          action: request.action,
          bundleReference: request.bundleReference,
          credentialSets: request.credentialSets,
          parameterSets: request.parameterSets,
          input: seal(Buffer.from(JSON.stringify(runInput)), publicKey, sealingContexts.runInput(request.runId)),
        },
        administratorCaller,
        {
          ...state,
          readBundle: async (reference) => {
            const parsed = parseReference(reference);
            return validateBundle((await pullBundle(registry, parsed.repository, parsed.digest ?? '')).bundle);
          },
          enqueue: async (work) => void queued.push(work),
        },
      );
      await claimRun({ runId: request.runId, runnerId, signature: sign(signedStatements.claim(request.runId, runnerId)) }, state);
      return queued[0];
    },
    async finish(runId) {
      await finishRun({ runId, runnerId, signature: sign(signedStatements.finish(runId, runnerId)) }, state);
    },
  };
}

/** A run request as the broker would queue it. */
export function runRequest(fields: Partial<RunRequest> & Pick<RunRequest, 'installation' | 'bundleReference'>): RunRequest {
  return {
    runId: randomBytes(12).toString('hex'),
    namespace: '',
    action: 'install',
    credentialSets: [],
    parameterSets: [],
    parameters: {},
    sensitiveParameters: [],
    requestedAt: new Date().toISOString(),
    submittedBy: 'admin',
    ...fields,
  };
}

/** Run events by run id, as a subscriber of `subjects.runs.events(runId)` would see them. */
export class EventLog {
  readonly events: RunEvent[] = [];
  private readonly waiters: Array<{ test: (event: RunEvent) => boolean; resolve: () => void }> = [];

  publish = (event: RunEvent): void => {
    this.events.push(event);
    for (const waiter of this.waiters.filter((entry) => entry.test(event))) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };

  /** Resolves once an event satisfying `test` has been published. */
  waitFor(test: (event: RunEvent) => boolean): Promise<void> {
    if (this.events.some(test)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  of(runId: string): RunEvent[] {
    return this.events.filter((event) => event.runId === runId);
  }

  text(runId: string): string {
    return JSON.stringify(this.of(runId));
  }
}

/**
 * Docker events for the containers of one run, from `since` up to now. Containers are removed
 * after each run, so the event history is the only proof of whether one was ever created.
 */
export async function containerEvents(docker: Docker, runId: string, since: number): Promise<string[]> {
  // The engine reads a fractional timestamp as seconds.nanoseconds (nine digits). `since` keeps its
  // milliseconds: a run that ended earlier in the same second is not counted as this one's.
  const engineTime = (ms: number) => `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1_000_000).padStart(9, '0')}`;
  const options = {
    since: engineTime(since),
    until: engineTime(Date.now()),
    filters: JSON.stringify({ type: ['container'], label: [`sh.lading.run=${runId}`] }),
  };
  const stream = (await docker.getEvents(options as unknown as Parameters<Docker['getEvents']>[0])) as NodeJS.ReadableStream;
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { Action: string }).Action);
}

/**
 * Removes the test's names for the base image: its local tag and the digest references the
 * builds pulled from the test registry. Docker deletes the image once no name is left, and
 * keeps it if another tag (someone else's) still names the same content.
 */
export async function removeBaseImage(docker: Docker, localTag: string, registryHost: string): Promise<void> {
  const image = await docker.getImage(localTag).inspect().catch(() => undefined);
  if (!image) return;
  const names = [localTag, ...(image.RepoDigests ?? []).filter((name) => name.startsWith(`${registryHost}/`))];
  for (const name of names) await docker.getImage(name).remove().catch(() => undefined);
}

/** Removes every image built for a bundle name (built, pushed and pulled back: one image id). */
export async function removeBundleImages(docker: Docker, bundleName: string): Promise<void> {
  const images = await docker.listImages({ all: true, filters: JSON.stringify({ label: [`sh.lading.bundle=${bundleName}`] }) });
  for (const image of images) await docker.getImage(image.Id).remove({ force: true }).catch(() => undefined);
}

/** The lines every test bundle's lading.yaml starts with: its name, the registry and the stack's base image. */
export function manifestHeader(registry: string, name: string): string {
  return `schemaVersion: 1.0.0
name: ${name}
version: 0.1.0
registry: ${registry}/bundles
baseImage: ${registry}/lading/busybox:stable
`;
}

/** Removes every bundle container carrying a label, whatever happened to the test that left it. */
export async function removeLabelledContainers(docker: Docker, label: string, value: string): Promise<void> {
  const left = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${label}=${value}`] }) });
  for (const container of left) await docker.getContainer(container.Id).remove({ force: true }).catch(() => undefined);
}

/** A runner's dependencies for these tests: the broker side answers its requests; no Docker socket is ever granted. */
export function runnerDependencies(docker: Docker, registry: RegistryClient, broker: BrokerSide, stackId: string, publishEvent: (event: RunEvent) => void = () => undefined): ExecutionDependencies {
  return {
    docker,
    registry,
    records: broker.records,
    ...broker.parts,
    publishEvent,
    container: { owner: { runnerId: broker.parts.runnerId, stackId } },
    allowDockerSocket: () => false,
    log: () => undefined,
  };
}
