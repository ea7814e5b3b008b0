import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from './canonical-json.js';
import { sha256Digest } from './digest.js';
import { MediaTypes } from './media-types.js';
import type { Descriptor } from './types.js';

/** The parts of an image configuration a builder decides; everything else is fixed. */
export interface ImageConfigSettings {
  /** Absent: root, as in a base image whose Dockerfile steps must run as root (bundles always run as 65532). */
  user?: string;
  entrypoint?: string[];
  cmd?: string[];
  env: string[];
  workingDir?: string;
  labels: Record<string, string>;
  exposedPorts?: string[];
}

export interface ImageLayoutInput {
  /** Uncompressed tar files, lowest layer first; each must already be byte-for-byte reproducible. */
  layers: string[];
  config: ImageConfigSettings;
  /** Written as the manifest's `org.opencontainers.image.ref.name` in index.json (`skopeo copy oci:DIR:NAME`). */
  refName: string;
}

export interface WrittenImageLayout {
  manifest: Descriptor;
  /** The config's digest: what Docker shows as the image ID once the image is loaded. */
  configDigest: string;
}

/**
 * Writes a single-image OCI layout from ready-made layers and a configuration this function
 * writes itself: no creation time, no history, canonical JSON. The same layers and settings
 * therefore always give the same manifest digest and image ID, whoever builds them and when.
 */
export async function writeImageLayout(dir: string, input: ImageLayoutInput): Promise<WrittenImageLayout> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const layers: Descriptor[] = [];
  for (const file of input.layers) {
    const digest = await fileDigest(file);
    await copyFile(file, blobPath(dir, digest));
    layers.push({ mediaType: MediaTypes.ociLayerTar, digest, size: (await stat(file)).size });
  }
  const { user, entrypoint, cmd, env, workingDir, labels, exposedPorts } = input.config;
  const config = Buffer.from(
    canonicalJson({
      architecture: 'amd64',
      os: 'linux',
      config: {
        User: user,
        Entrypoint: entrypoint,
        Cmd: cmd,
        Env: env,
        WorkingDir: workingDir,
        Labels: labels,
        ExposedPorts: exposedPorts && Object.fromEntries(exposedPorts.map((port) => [port, {}])),
      },
      // An uncompressed layer's digest is its diff ID.
      rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.digest) },
    }),
  );
  const configDescriptor = await writeBlob(dir, MediaTypes.ociConfig, config);
  const manifestBody = Buffer.from(canonicalJson({ schemaVersion: 2, mediaType: MediaTypes.ociManifest, config: configDescriptor, layers }));
  const manifest = await writeBlob(dir, MediaTypes.ociManifest, manifestBody);
  await writeFile(join(dir, 'oci-layout'), canonicalJson({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    join(dir, 'index.json'),
    canonicalJson({
      schemaVersion: 2,
      mediaType: MediaTypes.ociIndex,
      manifests: [{ ...manifest, annotations: { 'org.opencontainers.image.ref.name': input.refName } }],
    }),
  );
  return { manifest, configDigest: configDescriptor.digest };
}

function blobPath(dir: string, digest: string): string {
  return join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
}

async function writeBlob(dir: string, mediaType: string, body: Buffer): Promise<Descriptor> {
  const digest = sha256Digest(body);
  await writeFile(blobPath(dir, digest), body);
  return { mediaType, digest, size: body.length };
}

async function fileDigest(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
