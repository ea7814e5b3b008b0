import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sha256 } from './oci-http.js';

const run = promisify(execFile);

export interface ClientRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a real client and reports its exit code and output instead of throwing. */
export async function runClient(command: string, args: string[], env: Record<string, string> = {}): Promise<ClientRun> {
  try {
    const { stdout, stderr } = await run(command, args, { maxBuffer: 16 * 1024 * 1024, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

export interface OciLayout {
  dir: string;
  /** Digest of the image manifest in the layout: what the registry will serve for the tag. */
  digest: string;
}

async function writeBlob(dir: string, bytes: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha256(bytes);
  await writeFile(join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)), bytes);
  return { digest, size: bytes.length };
}

/** A one-image OCI layout with a random layer, so every layout has its own manifest digest. */
export async function makeOciLayout(root: string, tag = 'latest'): Promise<OciLayout> {
  const dir = await mkdtemp(join(root, 'layout-'));
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const layer = await writeBlob(dir, randomBytes(4096));
  const config = await writeBlob(
    dir,
    Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.digest] } })),
  );
  const manifestBytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }],
    }),
  );
  const manifest = await writeBlob(dir, manifestBytes);
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...manifest,
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  return { dir, digest: manifest.digest };
}

/** skopeo copies the layout byte for byte (no conversion), so the pushed digest is the layout's. */
export function skopeoCopy(layout: OciLayout, destination: string, extra: string[] = []): Promise<ClientRun> {
  return runClient('skopeo', [
    'copy',
    ...extra,
    '--quiet',
    '--preserve-digests',
    '--dest-tls-verify=false',
    `oci:${layout.dir}:latest`,
    `docker://${destination}`,
  ]);
}

/** Imports a tiny busybox image with a random file, so each one has its own digest. */
export async function importBusyboxImage(root: string, name: string): Promise<void> {
  const rootfs = await mkdtemp(join(root, 'rootfs-'));
  await mkdir(join(rootfs, 'bin'));
  await run('cp', ['/bin/busybox', join(rootfs, 'bin', 'busybox')]);
  await writeFile(join(rootfs, 'random'), randomBytes(64).toString('hex'));
  const archive = `${rootfs}.tar`;
  await run('tar', ['-cf', archive, '-C', rootfs, '.']);
  await run('docker', ['import', archive, name]);
  await rm(rootfs, { recursive: true, force: true });
  await rm(archive, { force: true });
}

export async function scratchDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'lading-guard-test-'));
}
