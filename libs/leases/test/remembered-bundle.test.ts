/**
 * An installation remembers its bundle: an action without a bundle reference runs the digest the
 * installation's record names, on a real nats-server, and only within the caller's namespace.
 */
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToNats } from '@lading/service-kit/client';
import { administratorCaller, startNatsServer, type TestNatsServer } from '@lading/testkit';
import { admitRun, finishRun, claimRun } from '../src/internal.js';
import { openRunPath, registerRunner, submitRequest, type RunPath, type TestRunner } from './run-path-fixture.js';

const recordedDigest = `127.0.0.1:5000/bundles/demo@sha256:${'3'.repeat(64)}`;
const alice = { principal: 'alice', namespaces: ['team-a'], admin: false };
const bob = { principal: 'bob', namespaces: ['team-b'], admin: false };

describe('remembered bundle', () => {
  let server: TestNatsServer;
  let nc: NatsConnection;
  let path: RunPath;
  let runner: TestRunner;
  const read: string[] = [];

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectToNats({ natsUrl: server.url, name: 'test' });
    path = await openRunPath(nc);
    const readBundle = path.admission.readBundle;
    path.admission.readBundle = async (reference) => (read.push(reference), readBundle(reference));
    runner = await registerRunner(path);
    await path.state.store.set('team-a/token', Buffer.from('team-a-token'));
    await path.state.credentialSets.apply({ name: 'web-creds', namespace: 'team-a', credentials: [{ name: 'api-token', source: { secret: 'token' } }] });
    const now = new Date().toISOString();
    // What the runner records when team-a's install of "web" ends.
    await path.state.records.putInstallation({
      name: 'web',
      namespace: 'team-a',
      bundleReference: recordedDigest,
      bundleName: 'demo',
      bundleVersion: '0.1.0',
      status: 'installed',
      lastAction: 'install',
      lastRunId: 'a'.repeat(24),
      created: now,
      modified: now,
    });
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  const withoutBundle = (fields: Parameters<typeof submitRequest>[1]) => {
    const request = submitRequest(path, { credentialSets: [{ name: 'web-creds', namespace: 'team-a' }], installation: 'web', namespace: 'team-a', ...fields });
    delete request.bundleReference;
    return request;
  };

  it('runs an upgrade without a reference on the digest the installation recorded, and queues that digest', async () => {
    const request = withoutBundle({ action: 'upgrade' });
    const admission = await admitRun(request, alice, path.admission);
    expect(admission.bundleReference).toBe(recordedDigest);
    expect(read.at(-1)).toBe(recordedDigest);
    expect(path.queued.find((item) => item.runId === request.runId)?.bundleReference).toBe(recordedDigest);
    await claimRun(runner.claim(request.runId), path.state);
    await finishRun(runner.finish(request.runId), path.state);
  });

  it('pins the new bundle when the request names one', async () => {
    const request = submitRequest(path, { credentialSets: [{ name: 'web-creds', namespace: 'team-a' }], installation: 'web', namespace: 'team-a', action: 'upgrade' });
    const admission = await admitRun(request, alice, path.admission);
    expect(admission.bundleReference).toBe(request.bundleReference);
    await claimRun(runner.claim(request.runId), path.state);
    await finishRun(runner.finish(request.runId), path.state);
  });

  it('refuses, with one sentence and nothing admitted, an install without a bundle and an upgrade of an installation never run', async () => {
    const install = withoutBundle({ action: 'install' });
    await expect(admitRun(install, alice, path.admission)).rejects.toMatchObject({
      code: 'invalid_request',
      message: 'install web needs its bundle: pass --reference REF or --dir DIR',
    });
    const unknown = withoutBundle({ action: 'upgrade', installation: 'api' });
    await expect(admitRun(unknown, alice, path.admission)).rejects.toMatchObject({
      code: 'not_found',
      message: 'installation api has no recorded bundle: install it first, or pass --reference REF',
    });
    for (const request of [install, unknown]) expect(await path.state.admissions.get(request.runId)).toBeUndefined();
  });

  it("gives another namespace's principal neither the installation nor its bundle", async () => {
    const intruding = withoutBundle({ action: 'upgrade' });
    const readBefore = read.length;
    await expect(admitRun(intruding, bob, path.admission)).rejects.toMatchObject({ code: 'forbidden' });
    // The same name in bob's own namespace is another installation, with no bundle recorded.
    const ownName = withoutBundle({ action: 'upgrade', namespace: 'team-b', credentialSets: [] });
    await expect(admitRun(ownName, bob, path.admission)).rejects.toMatchObject({ code: 'not_found' });
    expect(read.length).toBe(readBefore);
  });

  it('an administrator reaches the recorded bundle of any namespace', async () => {
    const request = withoutBundle({ action: 'uninstall' });
    expect((await admitRun(request, administratorCaller, path.admission)).bundleReference).toBe(recordedDigest);
    await claimRun(runner.claim(request.runId), path.state);
    await finishRun(runner.finish(request.runId), path.state);
  });
});
