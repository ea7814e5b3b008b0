import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SelfSignedCertificate {
  /** PEM: the server's key and its certificate, which is also the CA a client trusts. */
  key: string;
  cert: string;
}

/**
 * A one-day self-signed certificate for the given IP addresses, made with the host's openssl.
 * kubectl sends a kubeconfig's bearer token over TLS only, so the stand-in must speak it.
 */
export async function selfSignedCertificate(ipAddresses: readonly string[]): Promise<SelfSignedCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'lading-stand-in-tls-'));
  try {
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    await run('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=kube-api-stand-in', '-addext', `subjectAltName=${ipAddresses.map((ip) => `IP:${ip}`).join(',')}`,
      '-keyout', key, '-out', cert,
    ]);
    return { key: await readFile(key, 'utf8'), cert: await readFile(cert, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
