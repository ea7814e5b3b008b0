/**
 * The operator's signature policy, checked on every action before any lease or container: a bundle in a covered
 * repository runs only when its index and images are signed by one of the rule's keys; a bundle no rule covers runs
 * as before. Real registry, real cosign-format signatures, real Docker, the broker's side in-process.
 */
import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyImage, generateSigningKeys, parseReference, readSigningKey, readVerificationKey, RegistryClient, signBundle } from '@lading/oci';
import { connectDocker, ensureDockerAvailable } from '@lading/runtime';
import { connectToNats } from '@lading/service-kit/client';
import { startNatsServer, startRegistry, type TestNatsServer, type TestRegistry } from '@lading/testkit';
import { executeRun, type ExecutionDependencies, type SignaturePolicy } from '../src/internal.js';
import {
  buildAndPublish,
  containerEvents,
  manifestHeader,
  publishBundle,
  removeBaseImage,
  removeBundleImages,
  runnerDependencies,
  runRequest,
  seedBaseImage,
  startBrokerSide,
  type BrokerSide,
  type PublishedBundle,
} from './fixtures.js';

const suffix = randomBytes(4).toString('hex');
const bundleName = `lading-test-policy-${suffix}`;
const localBaseTag = `lading-test-policy-busybox:${suffix}`;
const passphrase = 'policy-test-passphrase';

describe('the signature policy a runner enforces', () => {
  let nats: TestNatsServer;
  let registryServer: TestRegistry;
  let nc: NatsConnection;
  let registry: RegistryClient;
  let broker: BrokerSide;
  let published: PublishedBundle;
  let deps: ExecutionDependencies;
  let rule: string;
  const docker = connectDocker();
  const operatorKeys = generateSigningKeys(passphrase);
  const strangerKeys = generateSigningKeys(passphrase);

  /** The same bundle published again into `repository`, unsigned: a new index digest there. */
  async function republish(repository: string): Promise<string> {
    await copyImage(registry, { fromRepo: parseReference(published.reference).repository, digest: published.invocationDigest }, repository);
    return publishBundle(registry, published.bundle, `${registryServer.host}/${repository}:v1`, published.invocationDigest);
  }

  async function signed(reference: string, keys: { privateKey: string }): Promise<string> {
    const { repository, digest } = parseReference(reference);
    await signBundle(registry, repository, digest ?? '', readSigningKey(keys.privateKey, passphrase));
    return reference;
  }

  /** Runs `action` and returns its state with whether it reached a container or the broker's lease. */
  async function attempt(installation: string, bundleReference: string, action = 'install') {
    const since = Date.now();
    const queued = await broker.admit(runRequest({ installation, bundleReference, action }));
    const state = await executeRun(queued, deps);
    return { state, containers: await containerEvents(docker, queued.runId, since), leased: broker.audit.some((entry) => entry.runId === queued.runId) };
  }

  beforeAll(async () => {
    await ensureDockerAvailable(docker);
    [nats, registryServer] = await Promise.all([startNatsServer(), startRegistry()]);
    nc = await connectToNats({ natsUrl: nats.url, name: 'signature-policy-test' });
    registry = new RegistryClient({ registry: registryServer.host });
    await seedBaseImage(docker, registry, localBaseTag);
    published = await buildAndPublish(
      docker,
      registry,
      `${manifestHeader(registryServer.host, bundleName)}install:
  - exec:
      description: Say it ran
      command: echo
      arguments: [POLICY-RAN]
uninstall:
  - exec:
      description: Say it ran
      command: echo
      arguments: [POLICY-RAN]
`,
    );
    broker = await startBrokerSide(nc, registry);
    rule = `${registryServer.host}/bundles/${bundleName}`;
    const policy: SignaturePolicy = [{ repositories: rule, keyFiles: ['operator.pub'], keys: [readVerificationKey(operatorKeys.publicKey)] }];
    deps = { ...runnerDependencies(docker, registry, broker, `lading-test-policy-${suffix}`), signaturePolicy: policy };
  });

  afterAll(async () => {
    await removeBundleImages(docker, bundleName);
    if (registryServer) await removeBaseImage(docker, localBaseTag, registryServer.host);
    await nc?.close();
    await Promise.all([nats?.stop(), registryServer?.stop()]);
  });

  it('runs a bundle of a covered repository signed by the rule key', async () => {
    const { state, leased } = await attempt('policy-signed', await signed(published.reference, operatorKeys));
    expect(state.status, state.message).toBe('succeeded');
    expect(leased).toBe(true);
  });

  it('refuses an unsigned bundle of a covered repository on every action, naming the repository and the rule, with no container and no lease', async () => {
    const unsigned = await republish(`bundles/${bundleName}-unsigned`);
    for (const action of ['install', 'uninstall']) {
      const { state, containers, leased } = await attempt(`policy-unsigned-${action}`, unsigned, action);
      expect(state.status).toBe('failed');
      expect(state.message?.split('\n')).toHaveLength(1);
      expect(state.message).toContain(`the signature policy refuses ${registryServer.host}/bundles/${bundleName}-unsigned@`);
      expect(state.message).toContain(`the rule for ${rule} requires a signature by operator.pub, and the bundle `);
      expect(state.message).toContain('is not signed');
      expect(containers).toEqual([]);
      expect(leased).toBe(false);
    }
  });

  it('refuses a bundle of a covered repository signed by a key the rule does not name', async () => {
    const stranger = await signed(await republish(`bundles/${bundleName}-stranger`), strangerKeys);
    const { state, containers, leased } = await attempt('policy-stranger', stranger);
    expect(state.status).toBe('failed');
    expect(state.message).toContain(`the signature policy refuses ${registryServer.host}/bundles/${bundleName}-stranger@`);
    expect(state.message).toContain('carries no signature that this key verifies');
    expect(containers).toEqual([]);
    expect(leased).toBe(false);
  });

  it('runs an unsigned bundle of a repository no rule covers', async () => {
    const { state } = await attempt('policy-uncovered', await republish(`other/${bundleName}`));
    expect(state.status, state.message).toBe('succeeded');
  });
});
