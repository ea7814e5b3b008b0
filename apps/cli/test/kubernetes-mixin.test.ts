/**
 * A porter.yaml bundle using the kubernetes mixin, built, published, installed and uninstalled on
 * a real stack against a stand-in Kubernetes API (libs/testkit: real kubectl, no cluster) that the
 * bundle reaches as a remote cluster (support/remote-cluster.ts; needs root). Install applies the
 * manifests and keeps the Service's cluster IP as an output; uninstall deletes them. The kubeconfig
 * credential's bearer token is the canary: the stand-in sees it on every request, and it is found in
 * no CLI output, stack file or Docker container file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingCli, runCli, upOnFreePorts } from './cli-process.js';
import { seedKubectlBaseImage } from './support/kubectl-base-image.js';
import { removeImagesNamedUnder } from './support/registry-images.js';
import { startRemoteCluster, type RemoteCluster } from './support/remote-cluster.js';
import { expectFoundNowhere } from './leak-check.js';

const token = `kube-canary-${randomBytes(16).toString('hex')}`;

const porterYaml = (registry: string, baseImage: string, name: string) => `schemaVersion: 1.0.1
name: ${name}
version: 0.1.0
registry: ${registry}/bundles
baseImage: ${baseImage}
mixins:
  - exec
  - kubernetes:
      clientVersion: v1.32.4
credentials:
  - { name: kubeconfig, path: /home/nonroot/.kube/config }
outputs:
  - { name: ip, applyTo: [install, upgrade] }
  - { name: greeting, applyTo: [install] }
install:
  - kubernetes:
      description: Install Hello World App
      manifests: [manifests/hello]
      wait: true
      outputs:
        - { name: ip, resourceType: service, resourceName: hello, namespace: default, jsonPath: "{.spec.clusterIP}" }
        - { name: greeting, resourceType: configmap, resourceName: hello-config, namespace: hello, jsonPath: "{.data.greeting}" }
upgrade:
  - kubernetes:
      description: Upgrade Hello World App
      manifests: [manifests/hello]
      timeout: 60
      outputs:
        - { name: ip, resourceType: service, resourceName: hello, namespace: default, jsonPath: "{.spec.clusterIP}" }
uninstall:
  - kubernetes:
      description: Uninstall Hello World App
      manifests: [manifests/hello]
      wait: true
`;

const helloManifests = `apiVersion: v1
kind: Namespace
metadata: { name: hello }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: hello-config, namespace: hello }
data: { greeting: hello from the bundle }
---
apiVersion: v1
kind: Service
metadata: { name: hello, namespace: default }
spec:
  selector: { app: hello }
  ports: [{ port: 80, targetPort: 8080 }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: hello, namespace: default }
spec:
  replicas: 1
  selector: { matchLabels: { app: hello } }
  template:
    metadata: { labels: { app: hello } }
    spec:
      containers: [{ name: hello, image: "registry.example/hello@sha256:${'0'.repeat(64)}" }]
`;

describe('a porter.yaml bundle with kubernetes steps, against a stand-in API server reached as a remote cluster', { shuffle: false }, () => {
  let home: string;
  let work: string;
  let cluster: RemoteCluster;
  let registry = '';
  const references = new Map<string, string>();
  const started = new Date();
  const { cli, results: outputs } = recordingCli(() => home);
  const write = async (name: string, baseImage: string) => {
    const dir = join(work, name);
    await mkdir(join(dir, 'manifests', 'hello'), { recursive: true });
    await writeFile(join(dir, 'porter.yaml'), porterYaml(registry, baseImage, name));
    await writeFile(join(dir, 'manifests', 'hello', 'hello.yaml'), helloManifests);
    const built = await cli('build', '--dir', dir);
    expect(built.code, built.stderr).toBe(0);
    const published = await cli('publish', '--dir', dir);
    expect(published.code, published.stderr).toBe(0);
    references.set(name, String(/reference (\S+)/.exec(published.stdout)?.[1]));
  };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'lading-kube-home-'));
    work = await mkdtemp(join(tmpdir(), 'lading-kube-work-'));
    cluster = await startRemoteCluster(token);
    registry = await upOnFreePorts(home);
    const kubectlBase = await seedKubectlBaseImage(home);
    await write('kube-hello', kubectlBase);
    // The same bundle on a base without kubectl.
    await write('kube-no-kubectl', `${registry}/lading/busybox:stable`);
    await writeFile(join(work, 'kubeconfig'), cluster.kubeconfig(token), { mode: 0o600 });
    await writeFile(
      join(work, 'creds.json'),
      JSON.stringify({ schemaVersion: '1.0.1', name: 'cluster', credentials: [{ name: 'kubeconfig', source: { path: join(work, 'kubeconfig') } }] }),
    );
    expect((await cli('credentials', 'apply', join(work, 'creds.json'))).code).toBe(0);
  });

  afterAll(async () => {
    if (home) await runCli(home, ['down']);
    await cluster?.close();
    // The kubectl base is 60 MB: leave no copy of what this stack built or pulled.
    if (registry !== '') await removeImagesNamedUnder(registry);
    if (home) await rm(home, { recursive: true, force: true });
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('installs: kubectl applies every manifest to the cluster with the kubeconfig credential', async () => {
    const install = await cli('install', 'hello-kube', '--reference', String(references.get('kube-hello')), '--cred', 'cluster');
    expect(install.code, install.stdout + install.stderr).toBe(0);
    expect(install.stdout).toContain('Install Hello World App');
    const { standIn } = cluster;
    expect(standIn.object('namespaces', '', 'hello')).toBeDefined();
    expect(standIn.object('configmaps', 'hello', 'hello-config')?.data).toEqual({ greeting: 'hello from the bundle' });
    expect(standIn.object('deployments', 'default', 'hello', 'apps')?.spec).toMatchObject({ replicas: 1 });
    expect(standIn.requests.filter((request) => request.method === 'POST')).toHaveLength(4);
    expect(standIn.requests.every((request) => request.authorized)).toBe(true);
  });

  it('keeps what kubectl get printed as the outputs', async () => {
    const listed = await cli('installations', 'outputs', 'hello-kube', '--output', 'json');
    const byName = Object.fromEntries((JSON.parse(listed.stdout) as Array<{ name: string; value?: string }>).map((output) => [output.name, output.value]));
    const clusterIP = (cluster.standIn.object('services', 'default', 'hello')?.spec as { clusterIP?: string } | undefined)?.clusterIP;
    expect(clusterIP).toMatch(/^10\.96\./);
    expect(byName).toMatchObject({ ip: clusterIP, greeting: 'hello from the bundle' });
  });

  it('upgrades: kubectl applies the manifests again, changing nothing, and the output is read again', async () => {
    const before = cluster.standIn.requests.length;
    const upgrade = await cli('upgrade', 'hello-kube', '--cred', 'cluster');
    expect(upgrade.code, upgrade.stdout + upgrade.stderr).toBe(0);
    expect(upgrade.stdout).toContain('Upgrade Hello World App');
    const since = cluster.standIn.requests.slice(before);
    expect(since.filter((request) => request.method === 'GET' && request.path.startsWith('/api/v1/namespaces/default/services/hello'))).toHaveLength(2);
    expect(since.filter((request) => request.method !== 'GET')).toEqual([]);
    const listed = await cli('installations', 'outputs', 'hello-kube', '--output', 'json');
    const ip = (JSON.parse(listed.stdout) as Array<{ name: string; value?: string }>).find((output) => output.name === 'ip')?.value;
    expect(ip).toBe((cluster.standIn.object('services', 'default', 'hello')?.spec as { clusterIP?: string }).clusterIP);
  });

  it('uninstalls: kubectl deletes what the manifests name', async () => {
    const uninstall = await cli('uninstall', 'hello-kube', '--cred', 'cluster');
    expect(uninstall.code, uninstall.stdout + uninstall.stderr).toBe(0);
    const { standIn } = cluster;
    expect(standIn.object('configmaps', 'hello', 'hello-config')).toBeUndefined();
    expect(standIn.object('services', 'default', 'hello')).toBeUndefined();
    expect(standIn.object('deployments', 'default', 'hello', 'apps')).toBeUndefined();
    expect(standIn.object('namespaces', '', 'hello')).toBeUndefined();
    expect(standIn.requests.filter((request) => request.method === 'DELETE')).toHaveLength(4);
  });

  it('fails in one sentence when the invocation image has no kubectl, and the cluster is not touched', async () => {
    const before = cluster.standIn.requests.length;
    const install = await cli('install', 'no-kubectl', '--reference', String(references.get('kube-no-kubectl')), '--cred', 'cluster');
    expect(install.code).not.toBe(0);
    expect(install.stdout + install.stderr).toContain(
      'the kubernetes mixin runs kubectl, which is not on the PATH of this invocation image; build the bundle from a base image or a dockerfile template that installs kubectl',
    );
    expect(cluster.standIn.requests.length).toBe(before);
  });

  it('finds the kubeconfig token in no CLI output, stack file, Docker container or layer', async () => {
    await cli('installations', 'logs', 'hello-kube');
    const cliText = outputs.map((result) => result.stdout + result.stderr).join('');
    expect(cliText).toContain('Install Hello World App');
    await expectFoundNowhere(token, { cliText, home, since: started });
  });
});
