/**
 * The walking skeleton end to end, through the `lading` command against the real stack
 * (nats-server, docker-registry behind the guard, Docker, the four services) — and the
 * guarantees it must already keep: a canary secret is found nowhere it must not be, a second
 * publish to a tag is refused, the bundle runs as 65532, bad input gives one clear error.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateBundle } from '@lading/cnab';
import { errorVocabulary } from '@lading/contracts/errors';
import { RegistryClient } from '@lading/oci';
import { freePort } from '@lading/testkit';
import { runCli, startCli } from './cli-process.js';
import { filesContaining, leakForms } from './search-files.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
/** Whether every folder above the checkout lets other users pass (the x bit for others). */
function othersCanEnter(path: string): boolean {
  for (let folder = dirname(path); ; folder = dirname(folder)) {
    if ((statSync(folder).mode & 0o001) === 0) return false;
    if (folder === dirname(folder)) return true;
  }
}
const dropsToServiceUsers = process.getuid?.() === 0 && othersCanEnter(repoRoot);

const canary = `canary-${randomBytes(12).toString('hex')}`;
const fileCanary = `kubeconfig-canary-${randomBytes(12).toString('hex')}`;

function manifest(registry: string, options: { version?: string; extraImage?: string } = {}) {
  return `schemaVersion: 1.0.0
name: e2e
version: ${options.version ?? '0.1.0'}
registry: ${registry}/bundles
baseImage: ${registry}/lading/busybox:stable
credentials:
  - { name: api-token, env: API_TOKEN, required: true }
  - { name: kubeconfig, path: /home/nonroot/.kube/config }
parameters:
  - { name: greeting, type: string, default: hello, env: GREETING }
outputs:
  - { name: uid }
  - { name: greeting-out }
images:
  base: { repository: ${options.extraImage ?? `${registry}/lading/busybox`}, tag: stable }
install:
  - exec:
      description: Use every value, print secrets (to be masked), wait for the test, record the uid
      command: sh
      arguments:
        - -c
        - >-
          echo "token=$API_TOKEN";
          half="\${API_TOKEN%????????}"; printf '%s' "$half"; printf '%s\\n' "\${API_TOKEN#"$half"}";
          cat /home/nonroot/.kube/config; echo;
          echo "$GREETING" > /cnab/app/outputs/greeting-out;
          id -u > /cnab/app/outputs/uid;
          echo READY;
          while [ ! -e /tmp/go ]; do sleep 0.1; done;
          echo done
`;
}

// A user's journey in steps (create, build, publish, install, inspect, search): the steps keep their order.
describe('lading end to end on the embedded stack', { shuffle: false }, () => {
  let home: string;
  let work: string;
  let registry: string;
  let firstDigest: string;
  let upMessage = '';
  const cli = (...args: string[]) => runCli(home, args);

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'lading-e2e-home-'));
    work = await mkdtemp(join(tmpdir(), 'lading-e2e-work-'));
    const [nats, guard, upstream] = [await freePort(), await freePort(), await freePort()];
    const up = await cli('up', '--nats-port', String(nats), '--guard-port', String(guard), '--upstream-port', String(upstream));
    expect(up.code, up.stderr).toBe(0);
    upMessage = up.stdout;
    registry = `127.0.0.1:${guard}`;
  });

  afterAll(async () => {
    await cli('down');
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('reports every service healthy in `lading status --output json`', async () => {
    const status = await cli('status', '--output', 'json');
    expect(status.code, status.stderr).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(parsed.endpoints.registry).toBe(registry);
    expect(parsed.services.map((service: { name: string }) => service.name)).toEqual(
      expect.arrayContaining(['builder', 'registry-guard', 'secret-broker', 'runner']),
    );
    expect(parsed.services.every((service: { healthy: boolean }) => service.healthy)).toBe(true);
    // Started as root, every process has a user of its own; otherwise each is the caller's. Run
    // from its sources (as here), lading starts the services from the checkout's sources: in a
    // checkout other users cannot enter they stay root, and `lading up` says why. (The stack's own
    // tests check the users of compiled services, which hold wherever the checkout is.)
    const uids = parsed.services.map((service: { uid: number }) => service.uid);
    if (dropsToServiceUsers) {
      expect(uids).not.toContain(0);
      expect(new Set(uids).size).toBe(parsed.services.length);
    } else if (process.getuid?.() === 0) {
      expect(upMessage).toContain(`other users cannot reach the Lading checkout the services run from (${repoRoot})`);
      expect(new Set(uids)).toEqual(new Set([0]));
    } else expect(new Set(uids)).toEqual(new Set([process.getuid?.()]));
  });

  it('names the user of each process in `lading status`', async () => {
    const status = await cli('status');
    expect(status.code, status.stderr).toBe(0);
    const header = status.stdout.split('\n').find((line) => line.startsWith('NAME'));
    expect(header).toMatch(/\bUSER\b/);
    if (dropsToServiceUsers) expect(status.stdout).not.toContain('(root)');
    else if (process.getuid?.() === 0) expect(status.stdout).toContain('0 (root)');
  });

  it('scaffolds a bundle that builds', async () => {
    const dir = join(work, 'scaffolded');
    const created = await cli('create', dir);
    expect(created.code, created.stderr).toBe(0);
    const text = await readFile(join(dir, 'lading.yaml'), 'utf8');
    expect(text).toContain(`${registry}/lading/busybox:stable`);
    const built = await cli('build', '--dir', dir);
    expect(built.code, built.stderr).toBe(0);
  });

  it('refuses a malformed lading.yaml with one clear error naming the line', async () => {
    const dir = join(work, 'malformed');
    await mkdir(dir);
    await writeFile(join(dir, 'lading.yaml'), manifest(registry).replace('version: 0.1.0', 'version: [not, a, version]'));
    const built = await cli('build', '--dir', dir);
    expect(built.code).not.toBe(0);
    expect(built.stderr.trim().split('\n')).toHaveLength(1);
    expect(built.stderr).toMatch(/lading\.yaml:\d+:\d+: version/);
  });

  it('fails closed on an image the registry cannot resolve', async () => {
    const dir = join(work, 'unresolvable');
    await mkdir(dir);
    await writeFile(join(dir, 'lading.yaml'), manifest(registry, { extraImage: `${registry}/no/such-image` }));
    const built = await cli('build', '--dir', dir);
    expect(built.code).not.toBe(0);
    expect(built.stderr.trim().split('\n')).toHaveLength(1);
    expect(built.stderr).toMatch(/cannot resolve images\.base/);
  });

  it('builds a bundle.json that names every image by digest and validates against the CNAB schema', async () => {
    const dir = join(work, 'e2e');
    await mkdir(dir);
    await writeFile(join(dir, 'lading.yaml'), manifest(registry));
    const built = await cli('build', '--dir', dir);
    expect(built.code, built.stderr).toBe(0);
    const bundle = validateBundle(JSON.parse(await readFile(join(dir, '.lading', 'bundle.json'), 'utf8')));
    const images = [...bundle.invocationImages, ...Object.values(bundle.images ?? {})];
    for (const image of images) {
      expect(image.image).toMatch(/@sha256:[a-f0-9]{64}$/);
      expect(image.contentDigest).toBe(image.image.split('@')[1]);
    }
    // Pushed by digest only: the builder wrote no tag.
    expect(await new RegistryClient({ registry }).listTags('bundles/e2e')).toEqual([]);
  });

  it('publishes once, is idempotent for the same digest, and refuses a different build without --force', async () => {
    const dir = join(work, 'e2e');
    const first = await cli('publish', '--dir', dir);
    expect(first.code, first.stderr).toBe(0);
    firstDigest = /digest (sha256:[a-f0-9]{64})/.exec(first.stdout)?.[1] ?? '';
    expect(firstDigest).not.toBe('');
    const again = await cli('publish', '--dir', dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('already published');

    const other = join(work, 'e2e-other');
    await mkdir(other);
    await writeFile(join(other, 'lading.yaml'), manifest(registry).replace('echo done', 'echo finished'));
    expect((await cli('build', '--dir', other)).code).toBe(0);
    const refused = await cli('publish', '--dir', other);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(firstDigest);
    expect(refused.stderr).toContain('--force');
    const served = await new RegistryClient({ registry }).headManifest('bundles/e2e', 'v0.1.0');
    expect(served?.digest).toBe(firstDigest);
  });

  it('installs with a secret, masks it, keeps it out of docker inspect and the host disk, runs as 65532', async () => {
    const set = await runCli(home, ['secrets', 'set', 'e2e-token', '--from-stdin'], canary);
    expect(set.code, set.stderr).toBe(0);
    const kubeconfig = join(work, 'kubeconfig');
    await writeFile(kubeconfig, fileCanary);
    expect((await cli('secrets', 'set', 'e2e-kubeconfig', '--from-file', kubeconfig)).code).toBe(0);
    await rm(kubeconfig);
    const credentialSet = join(work, 'creds.yaml');
    await writeFile(
      credentialSet,
      `schemaVersion: 1.0.1\nname: e2e-creds\ncredentials:\n  - { name: api-token, source: { secret: e2e-token } }\n  - { name: kubeconfig, source: { secret: e2e-kubeconfig } }\n`,
    );
    expect((await cli('credentials', 'apply', credentialSet)).code).toBe(0);

    const install = startCli(home, ['install', 'e2e-app', '--reference', `${registry}/bundles/e2e:v0.1.0`, '--cred', 'e2e-creds', '--param', 'greeting=howdy']);
    await install.waitForOutput((stdout) => stdout.includes('READY'));

    const runId = /run ([a-z0-9]+) queued/.exec(install.stderr())?.[1];
    const containerId = execFileSync('docker', ['ps', '-q', '--filter', `label=sh.lading.run=${runId}`]).toString().trim();
    expect(containerId).toMatch(/^[a-f0-9]+$/);
    const inspect = execFileSync('docker', ['inspect', containerId]).toString();
    for (const form of [...leakForms(canary), ...leakForms(fileCanary)]) expect(inspect).not.toContain(form);
    const details = JSON.parse(inspect)[0];
    expect(details.Config.User).toBe('65532:65532');
    expect(details.HostConfig.CapDrop).toEqual(['ALL']);
    expect(await filesContaining(details.GraphDriver.Data.UpperDir, [...leakForms(canary), ...leakForms(fileCanary)])).toEqual([]);
    expect(await filesContaining(`/var/lib/docker/containers/${details.Id}`, [...leakForms(canary), ...leakForms(fileCanary)])).toEqual([]);

    execFileSync('docker', ['exec', containerId, 'touch', '/tmp/go']);
    const result = await install.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('token=*******');
    expect(result.stdout).toContain('done');
    for (const form of [canary, fileCanary]) expect(result.stdout + result.stderr).not.toContain(form);
  });

  it('shows the installation, its outputs (uid 65532) and its masked log', async () => {
    const list = await cli('installations', 'list', '--output', 'json');
    expect(JSON.parse(list.stdout).map((item: { name: string }) => item.name)).toContain('e2e-app');
    const show = await cli('installations', 'show', 'e2e-app', '--output', 'json');
    expect(JSON.parse(show.stdout).status).toBe('installed');
    const outputs = JSON.parse((await cli('installations', 'outputs', 'e2e-app', '--output', 'json')).stdout);
    const byName = Object.fromEntries(outputs.map((output: { name: string; value: string }) => [output.name, output.value.trim()]));
    expect(byName).toEqual({ uid: '65532', 'greeting-out': 'howdy' });
    const log = await cli('installations', 'logs', 'e2e-app');
    expect(log.stdout).toContain('token=*******');
    expect(log.stdout).not.toContain(canary);
  });

  it("prints a service's refusal as its one sentence, with the exit status of its code", async () => {
    const missing = await cli('installations', 'show', 'e2e-missing');
    expect(missing.stderr).toBe('lading: there is no installation named e2e-missing: see `lading installations list`\n');
    expect(missing.code).toBe(errorVocabulary.not_found.exitCode);
  });

  it('follows one install as one trace across the CLI, the runner and the broker', async () => {
    const spans = async (service: string) =>
      (await readFile(join(home, 'logs', `spans-${service}.jsonl`), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { name: string; traceId: string; parentSpanId?: string; attributes: Record<string, unknown> });
    const run = (await spans('runner')).find((span) => span.name === 'process lading.runs.requested' && span.attributes['lading.run.action'] === 'install');
    expect(run?.parentSpanId, 'the run continues the CLI trace').toBeDefined();
    const lease = (await spans('broker')).find((span) => span.name === 'process lading.broker.lease' && span.traceId === run?.traceId);
    expect(lease, 'the lease is part of the run trace').toBeDefined();
  });

  it('leaves the canary nowhere: not in NATS storage (streams, KV, objects), service logs, spans or records', async () => {
    const forms = [...leakForms(canary), ...leakForms(fileCanary)];
    expect(await filesContaining(home, forms)).toEqual([]);
    expect(await filesContaining('/var/lib/docker/containers', forms)).toEqual([]);
  });
});
