import { execFile } from 'node:child_process';
import { createSign, randomUUID, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startProcess, waitForPort, type RunningProcess } from '@lading/testkit';

const run = promisify(execFile);
const service = 'lading-test-registry';
const issuer = 'lading-test-issuer';

export interface TokenRegistry {
  readonly host: string;
  /** Scopes asked for, one entry per token request. */
  readonly tokenRequests: string[][];
  /** The docker-registry process, for benchmarks that read its CPU time. */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * A real docker-registry with `auth: token`, and a tiny token server that signs RS256 JWTs with a
 * throwaway self-signed certificate. `users` maps user → password; `readOnly` users get pull only.
 */
export async function startTokenRegistry(users: Record<string, string>, readOnly: string[] = []): Promise<TokenRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'lading-test-token-registry-'));
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=lading-test-token']);
  const key = await readFile(join(dir, 'key.pem'), 'utf8');
  const certificate = new X509Certificate(await readFile(join(dir, 'cert.pem')));
  const tokenRequests: string[][] = [];

  const tokenServer: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://token');
    const [user, password] = Buffer.from((request.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':');
    if (!user || users[user] !== password || url.searchParams.get('service') !== service) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"bad credentials"}');
      return;
    }
    const scopes = url.searchParams.getAll('scope');
    tokenRequests.push(scopes);
    const access = scopes.map((scope) => {
      const [type, rest] = [scope.slice(0, scope.indexOf(':')), scope.slice(scope.indexOf(':') + 1)];
      const name = rest.slice(0, rest.lastIndexOf(':'));
      const actions = rest.slice(rest.lastIndexOf(':') + 1).split(',');
      return { type, name, actions: readOnly.includes(user) ? actions.filter((action) => action === 'pull') : actions };
    });
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt(key, certificate, { iss: issuer, sub: user, aud: service, iat: now, nbf: now - 5, exp: now + 300, jti: randomUUID(), access });
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, expires_in: 300 }));
  });
  const tokenPort = await freePort();
  await new Promise<void>((resolve) => tokenServer.listen(tokenPort, '127.0.0.1', resolve));

  const port = await freePort();
  await writeFile(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: { level: warn }',
      'storage:',
      `  filesystem: { rootdirectory: "${join(dir, 'data')}" }`,
      '  delete: { enabled: true }',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '  secret: lading-test-only',
      'auth:',
      '  token:',
      `    realm: http://127.0.0.1:${tokenPort}/token`,
      `    service: ${service}`,
      `    issuer: ${issuer}`,
      `    rootcertbundle: ${join(dir, 'cert.pem')}`,
    ].join('\n'),
  );
  const registry: RunningProcess = startProcess('docker-registry', ['serve', join(dir, 'config.yml')]);
  await waitForPort(port);
  return {
    host: `127.0.0.1:${port}`,
    tokenRequests,
    pid: registry.child.pid,
    async stop() {
      await registry.stop();
      await new Promise((resolve) => tokenServer.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function signJwt(key: string, certificate: X509Certificate, claims: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ typ: 'JWT', alg: 'RS256', x5c: [certificate.raw.toString('base64')] });
  const payload = `${header}.${encode(claims)}`;
  return `${payload}.${createSign('RSA-SHA256').update(payload).sign(key).toString('base64url')}`;
}
