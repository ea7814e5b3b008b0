import { canonicalJson } from './canonical-json.js';
import { sha256Digest } from './digest.js';
import { OciError } from './errors.js';
import { CnabAnnotations, isIndexMediaType, MediaTypes } from './media-types.js';
import { parseManifestDocument } from './manifest-document.js';
import type { RegistryClient } from './registry-client.js';
import type { BundleIndex, Descriptor, ManifestHead, PrepareBundleOptions, PulledBundle } from './types.js';

const defaultRuntimeVersion = 'v1.2.0';

/**
 * Stores bundle.json (canonical JSON) as the config blob of a CNAB config manifest, by digest, and
 * builds the CNAB-in-OCI index that names it and the invocation image. Writes no tag: the caller
 * tags the returned index with putManifest (the registry-guard does, through its ledger).
 */
export async function prepareBundleIndex(
  client: RegistryClient,
  repository: string,
  /** bundle.json, stored exactly as given: whoever publishes validates it first (validateBundle of @lading/cnab). */
  bundle: object,
  invocationImage: ManifestHead,
  options: PrepareBundleOptions = {},
): Promise<BundleIndex> {
  const present = await client.headManifest(repository, invocationImage.digest);
  if (!present) {
    throw new OciError(
      `Invocation image ${invocationImage.digest} is not in ${client.registry}/${repository}; push or copy it there before publishing the bundle.`,
      { registry: client.registry, repository, reason: 'INVOCATION_IMAGE_MISSING' },
    );
  }
  const config = Buffer.from(canonicalJson(bundle));
  const configDigest = sha256Digest(config);
  if (!(await client.hasBlob(repository, configDigest))) {
    await client.uploadBlob(repository, config, { digest: configDigest, size: config.length });
  }
  const configManifest = Buffer.from(
    canonicalJson({
      schemaVersion: 2,
      mediaType: MediaTypes.ociManifest,
      config: { mediaType: MediaTypes.cnabConfig, digest: configDigest, size: config.length },
      layers: [],
    }),
  );
  const configManifestDigest = await client.putManifest(repository, sha256Digest(configManifest), MediaTypes.ociManifest, configManifest);
  const configDescriptor: Descriptor = {
    mediaType: MediaTypes.ociManifest,
    digest: configManifestDigest,
    size: configManifest.length,
    annotations: { [CnabAnnotations.manifestType]: 'config' },
  };
  // Read only to annotate the index, so each is used only when it is the string the CNAB schema says.
  const { schemaVersion, name, version } = bundle as { schemaVersion?: unknown; name?: unknown; version?: unknown };
  const runtimeVersion = options.runtimeVersion ?? (typeof schemaVersion === 'string' ? schemaVersion : defaultRuntimeVersion);
  const index = Buffer.from(
    canonicalJson({
      schemaVersion: 2,
      mediaType: MediaTypes.ociIndex,
      manifests: [
        configDescriptor,
        {
          mediaType: present.mediaType || invocationImage.mediaType,
          digest: invocationImage.digest,
          size: present.size || invocationImage.size,
          annotations: { [CnabAnnotations.manifestType]: 'invocation' },
        },
        // Referenced images, by digest in this repository: what the relocation mapping points at, so copies and archives carry them.
        ...Object.entries(options.components ?? {})
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([name, head]) => ({
            mediaType: head.mediaType,
            digest: head.digest,
            size: head.size,
            annotations: { [CnabAnnotations.manifestType]: 'component', [CnabAnnotations.componentName]: name },
          })),
      ],
      annotations: {
        [CnabAnnotations.runtimeVersion]: runtimeVersion,
        [CnabAnnotations.artifactType]: MediaTypes.cnabManifest,
        ...(typeof name === 'string' ? { 'org.opencontainers.image.title': name } : {}),
        ...(typeof version === 'string' ? { 'org.opencontainers.image.version': version } : {}),
      },
    }),
  );
  return { digest: sha256Digest(index), mediaType: MediaTypes.ociIndex, body: index, configManifest: configDescriptor };
}

/** Reads a CNAB-in-OCI bundle by digest (or tag), verifying the index, config manifest, bundle.json and invocation image. */
export async function pullBundle(client: RegistryClient, repository: string, reference: string): Promise<PulledBundle> {
  const documents = await readBundleDocuments(client, repository, reference);
  await requireInvocationImage(client, repository, reference, documents);
  return documents;
}

function bundleWhere(client: RegistryClient, repository: string, reference: string): string {
  return `${client.registry}/${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;
}

function notABundle(client: RegistryClient, repository: string, reference: string, why: string): OciError {
  return new OciError(`${bundleWhere(client, repository, reference)} is not a CNAB bundle: ${why}.`, { registry: client.registry, repository, reason: 'NOT_A_BUNDLE' });
}

/**
 * The documents of a bundle: its index, config manifest and bundle.json, each checked against
 * the digest that names it, and bundle.json against the index. Read by digest, they are the same
 * on every read; whether the invocation image is still in the repository is not part of them.
 */
export async function readBundleDocuments(client: RegistryClient, repository: string, reference: string): Promise<PulledBundle> {
  const where = bundleWhere(client, repository, reference);
  const notBundle = (why: string) => notABundle(client, repository, reference, why);
  const index = await client.getManifest(repository, reference);
  const document = parseManifestDocument(index.body, where);
  if (!isIndexMediaType(document.mediaType ?? index.mediaType) || !document.manifests) throw notBundle('it is not an image index');
  const byType = (type: string) => document.manifests?.filter((entry) => entry.annotations?.[CnabAnnotations.manifestType] === type) ?? [];
  const [configManifest, ...extraConfigs] = byType('config');
  const [invocationImage] = byType('invocation');
  if (!configManifest || extraConfigs.length > 0) throw notBundle('its index must name exactly one config manifest');
  if (!invocationImage) throw notBundle('its index names no invocation image');

  const config = await client.getManifest(repository, configManifest.digest);
  const configDocument = parseManifestDocument(config.body, `${where} config manifest`);
  if (configDocument.config?.mediaType !== MediaTypes.cnabConfig) throw notBundle(`its config manifest does not carry a ${MediaTypes.cnabConfig} blob`);
  const bundleBytes = await client.getBlobBuffer(repository, configDocument.config.digest);
  if (bundleBytes.length !== configDocument.config.size) throw notBundle('bundle.json does not have the size its descriptor announces');
  let bundle: Record<string, unknown>;
  try {
    bundle = JSON.parse(bundleBytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw notBundle('bundle.json is not valid JSON');
  }
  const declared = declaredInvocationDigests(bundle);
  if (declared.length > 0 && !declared.includes(invocationImage.digest)) {
    throw notBundle(`bundle.json names invocation image digest ${declared.join(', ')} but the index holds ${invocationImage.digest}`);
  }
  return { bundle, indexDigest: index.digest, invocationImage, configManifest };
}

/** Refuses a bundle whose invocation image is not (or no longer) in its repository. */
export async function requireInvocationImage(client: RegistryClient, repository: string, reference: string, documents: PulledBundle): Promise<void> {
  const invocation = await client.headManifest(repository, documents.invocationImage.digest);
  if (!invocation) throw notABundle(client, repository, reference, `its invocation image ${documents.invocationImage.digest} is missing from the repository`);
}

function declaredInvocationDigests(bundle: Record<string, unknown>): string[] {
  const images = Array.isArray(bundle.invocationImages) ? (bundle.invocationImages as { contentDigest?: unknown }[]) : [];
  return images.map((image) => image.contentDigest).filter((digest): digest is string => typeof digest === 'string');
}
