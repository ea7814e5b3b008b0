import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { promisify } from 'node:util';
import { selfSignedCertificate, startKubeApiStandIn, type KubeApiStandIn } from '@lading/testkit';

const run = promisify(execFile);

/** Where kubectl finds the stand-in, and how to reach it, as a kubeconfig says it. */
export interface RemoteCluster {
  standIn: KubeApiStandIn;
  /** `https://ADDRESS:6443`: an address only the network namespace has. */
  server: string;
  /** PEM of the stand-in's certificate, which the kubeconfig trusts as its CA. */
  ca: string;
  /** A kubeconfig with the server, its CA and `token` as the user's bearer token. */
  kubeconfig(token: string): string;
  close(): Promise<void>;
}

/**
 * A Kubernetes API stand-in that a bundle container reaches as it would a remote cluster. Run
 * networks cannot reach the host at all (INPUT is rejected for them), so the API is given an address
 * of its own in a network namespace joined to the host by a veth pair: packets from a run network to
 * it are forwarded by the host, as they are to any remote address, not delivered to it. Inside the
 * namespace a TCP relay hands each connection to the stand-in, which runs in the test's process on
 * the host end of the pair (so the test can read what it holds); TLS is end to end. Needs root.
 * Everything made here (namespace, veth pair and its route, relay) is removed by close().
 */
export async function startRemoteCluster(token: string): Promise<RemoteCluster> {
  const id = randomBytes(3).toString('hex');
  const namespace = `lkm-${id}`;
  const [hostEnd, farEnd] = [`lkm${id}h`, `lkm${id}n`];
  // A /30 of 198.18.0.0/15, the range set aside for benchmarks: .1 in the namespace, .2 on the host.
  const base = `198.${18 + randomInt(2)}.${randomInt(1, 255)}.${4 * randomInt(1, 63)}`;
  const [a, b, c, d] = base.split('.').map(Number) as [number, number, number, number];
  const [farAddress, hostAddress] = [`${a}.${b}.${c}.${d + 1}`, `${a}.${b}.${c}.${d + 2}`];
  const made: Array<() => Promise<unknown>> = [];
  let relay: ChildProcess | undefined;
  let standIn: KubeApiStandIn | undefined;
  let ca = '';
  const close = async () => {
    if (relay !== undefined && relay.exitCode === null) {
      const exited = new Promise((resolve) => relay?.once('exit', resolve));
      relay.kill();
      await exited;
    }
    await standIn?.close();
    for (const undo of made.reverse()) await undo().catch(() => undefined);
  };
  try {
    await run('ip', ['netns', 'add', namespace]);
    made.push(() => run('ip', ['netns', 'del', namespace]));
    await run('ip', ['link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', farEnd]);
    // Deleting one end deletes both, and the route that came with the host end's address.
    made.push(() => run('ip', ['link', 'del', hostEnd]));
    await run('ip', ['link', 'set', farEnd, 'netns', namespace]);
    await run('ip', ['addr', 'add', `${hostAddress}/30`, 'dev', hostEnd]);
    await run('ip', ['link', 'set', hostEnd, 'up']);
    const inside = (...args: string[]) => run('ip', ['netns', 'exec', namespace, 'ip', ...args]);
    await inside('addr', 'add', `${farAddress}/30`, 'dev', farEnd);
    await inside('link', 'set', farEnd, 'up');
    await inside('link', 'set', 'lo', 'up');
    await inside('route', 'add', 'default', 'via', hostAddress);

    const tls = await selfSignedCertificate([farAddress, hostAddress]);
    ca = tls.cert;
    standIn = await startKubeApiStandIn({ token, tls, host: hostAddress });
    const relayProgram = `const net = require('node:net');
net.createServer((client) => {
  const api = net.connect(${standIn.port}, ${JSON.stringify(hostAddress)});
  client.pipe(api).pipe(client);
  client.on('error', () => api.destroy());
  api.on('error', () => client.destroy());
}).listen(6443, ${JSON.stringify(farAddress)}, () => console.log('relaying'));`;
    relay = spawn('ip', ['netns', 'exec', namespace, process.execPath, '-e', relayProgram], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let stderr = '';
      relay?.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      relay?.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('relaying') && resolve());
      relay?.once('exit', (code) => reject(new Error(`the relay in network namespace ${namespace} exited with ${code}: ${stderr.trim()}`)));
    });
  } catch (error) {
    await close();
    throw error;
  }
  const server = `https://${farAddress}:6443`;
  return {
    standIn: standIn as KubeApiStandIn,
    server,
    ca,
    kubeconfig: (bearer) =>
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: remote\n  cluster:\n    server: ${server}\n    certificate-authority-data: ${Buffer.from(ca).toString('base64')}`,
        'users:',
        `- name: deployer\n  user:\n    token: ${bearer}`,
        'contexts:',
        '- name: remote\n  context:\n    cluster: remote\n    user: deployer',
        'current-context: remote',
        '',
      ].join('\n'),
    close,
  };
}
