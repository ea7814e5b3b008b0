/**
 * The stand-in Kubernetes API server answers the host's real kubectl as a cluster would, for what
 * the kubernetes mixin does: apply (create, then patch), get -o jsonpath, wait, delete (and
 * delete again with --ignore-not-found), Status errors, and no answer without the bearer token.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate, startKubeApiStandIn, type KubeApiStandIn } from '../src/index.js';

const execute = promisify(execFile);
const token = 'stand-in-token';
let dir: string;
let standIn: KubeApiStandIn;

const manifest = (greeting: string) => `apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: shop }
data: { greeting: ${greeting} }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { ports: [{ port: 80 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: web, image: web }] } }
`;

const kubeconfig = (bearer: string, server: string, ca: string) => `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${server}", certificate-authority-data: ${Buffer.from(ca).toString('base64')} } }]
users: [{ name: u, user: { token: ${bearer} } }]
contexts: [{ name: c, context: { cluster: c, user: u } }]
current-context: c
`;

async function kubectl(args: string[], config = 'kubeconfig'): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execute('kubectl', ['--kubeconfig', join(dir, config), ...args], { env: { ...process.env, HOME: dir }, cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lading-kube-stand-in-'));
  const tls = await selfSignedCertificate(['127.0.0.1']);
  standIn = await startKubeApiStandIn({ token, tls });
  await writeFile(join(dir, 'kubeconfig'), kubeconfig(token, standIn.url, tls.cert));
  await writeFile(join(dir, 'wrong-token'), kubeconfig('not-the-token', standIn.url, tls.cert));
  await writeFile(join(dir, 'app.yaml'), manifest('hello'));
});
afterAll(async () => {
  await standIn?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('real kubectl against the stand-in', { shuffle: false }, () => {
  it('applies: creates each object, then patches what changed', async () => {
    const created = await kubectl(['apply', '-f', 'app.yaml', '--wait']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toBe('namespace/shop created\nconfigmap/settings created\nservice/web created\ndeployment.apps/web created\n');
    await writeFile(join(dir, 'app.yaml'), manifest('bonjour'));
    const patched = await kubectl(['apply', '-f', 'app.yaml']);
    expect(patched.stdout).toBe('namespace/shop unchanged\nconfigmap/settings configured\nservice/web unchanged\ndeployment.apps/web unchanged\n');
    expect(standIn.object('configmaps', 'shop', 'settings')?.data).toEqual({ greeting: 'bonjour' });
    expect(standIn.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('gets with -o jsonpath, as the mixin reads its outputs', async () => {
    const ip = await kubectl(['get', 'service', 'web', '-o=jsonpath={.spec.clusterIP}', '--namespace=shop']);
    expect(ip.stdout).toMatch(/^10\.96\.\d+\.\d+$/);
    expect((await kubectl(['get', 'configmap', 'settings', '-n', 'shop', '-o', 'jsonpath={.data.greeting}'])).stdout).toBe('bonjour');
  });

  it('waits for a Deployment to be available', async () => {
    const waited = await kubectl(['wait', '--for=condition=Available', 'deployment/web', '-n', 'shop', '--timeout=20s']);
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stdout).toBe('deployment.apps/web condition met\n');
  });

  it('answers a missing object with a NotFound Status, and no token with 401', async () => {
    const missing = await kubectl(['get', 'configmap', 'nothing', '-n', 'shop']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error from server (NotFound): configmaps "nothing" not found');
    const refused = await kubectl(['get', 'configmap', 'settings', '-n', 'shop'], 'wrong-token');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Unauthorized|provide credentials/);
    expect(standIn.requests.some((r) => !r.authorized)).toBe(true);
  });

  it('deletes every object, and deleting again with --ignore-not-found succeeds doing nothing', async () => {
    const deleted = await kubectl(['delete', '--ignore-not-found=true', '-f', 'app.yaml', '--wait', '--timeout=20s']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toBe('namespace "shop" deleted\nconfigmap "settings" deleted\nservice "web" deleted\ndeployment.apps "web" deleted\n');
    expect(standIn.object('deployments', 'shop', 'web', 'apps')).toBeUndefined();
    const again = await kubectl(['delete', '--ignore-not-found=true', '-f', 'app.yaml', '--wait']);
    expect(again).toMatchObject({ code: 0, stdout: '' });
  });
});
