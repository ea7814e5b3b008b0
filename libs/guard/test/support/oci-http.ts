import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';

export const ociManifestType = 'application/vnd.oci.image.manifest.v1+json';

export function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** node:http, not fetch: fetch normalises `..` and `%2e%2e`, which the guard must see as sent. */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<RawAnswer> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: base.hostname, port: base.port, method, path, headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** Monolithic blob upload (POST then PUT ?digest=), through whichever registry URL is given. */
export async function pushBlob(baseUrl: string, repository: string, bytes: Buffer, headers: Record<string, string> = {}): Promise<string> {
  const digest = sha256(bytes);
  const started = await fetch(`${baseUrl}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers });
  if (started.status !== 202) throw new Error(`upload start answered ${started.status}: ${await started.text()}`);
  const location = new URL(started.headers.get('location') ?? '', baseUrl);
  location.searchParams.set('digest', digest);
  const finished = await fetch(location, {
    method: 'PUT',
    body: bytes,
    headers: { ...headers, 'content-type': 'application/octet-stream' },
  });
  if (finished.status !== 201) throw new Error(`upload finish answered ${finished.status}: ${await finished.text()}`);
  return digest;
}

export interface ImageBlobs {
  config: { digest: string; size: number };
  layer: { digest: string; size: number };
}

/** One random config and layer, shared by manifests that differ only by annotation. */
export async function pushImageBlobs(baseUrl: string, repository: string, headers: Record<string, string> = {}): Promise<ImageBlobs> {
  const layer = randomBytes(2048);
  const layerDigest = await pushBlob(baseUrl, repository, layer, headers);
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layerDigest] } }),
  );
  const configDigest = await pushBlob(baseUrl, repository, config, headers);
  return { config: { digest: configDigest, size: config.length }, layer: { digest: layerDigest, size: layer.length } };
}

export function imageManifest(blobs: ImageBlobs, note = randomBytes(8).toString('hex')): { bytes: Buffer; digest: string } {
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: ociManifestType,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...blobs.config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...blobs.layer }],
      annotations: { 'org.lading.test.note': note },
    }),
  );
  return { bytes, digest: sha256(bytes) };
}

export function putManifest(
  baseUrl: string,
  repository: string,
  reference: string,
  bytes: Buffer | string,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  return rawRequest(baseUrl, 'PUT', `/v2/${repository}/manifests/${reference}`, {
    headers: { 'content-type': ociManifestType, ...headers },
    body: bytes,
  });
}

/** The digest the registry serves for a tag, or undefined when it has no such tag. */
export async function upstreamDigest(registryUrl: string, repository: string, tag: string): Promise<string | undefined> {
  const answer = await rawRequest(registryUrl, 'HEAD', `/v2/${repository}/manifests/${tag}`, {
    headers: { accept: `${ociManifestType}, application/vnd.docker.distribution.manifest.v2+json` },
  });
  if (answer.status === 404) return undefined;
  return answer.headers['docker-content-digest'] as string;
}

export async function upstreamTags(registryUrl: string, repository: string): Promise<string[]> {
  const answer = await rawRequest(registryUrl, 'GET', `/v2/${repository}/tags/list`);
  if (answer.status === 404) return [];
  return (JSON.parse(answer.body) as { tags: string[] | null }).tags ?? [];
}
