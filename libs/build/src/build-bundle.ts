import { validateBundle } from '@lading/cnab';
import { withSpan } from '@lading/telemetry';
import {
  bundleTag,
  formatImageReference,
  MANIFEST_FILE_NAME,
  manifestFileNames,
  ManifestError,
  overrideDestination,
  parseManifest,
  PORTER_MANIFEST_FILE_NAME,
  renderDockerfile,
  renderRunScript,
  toBundleJson,
  type Manifest,
} from '@lading/manifest';
import { OciError, parseReference, pushDockerArchive } from '@lading/oci';
import { assembleBuildContext, buildImage, saveImage } from '@lading/runtime';
import { resolveDigests, type PinnedImage } from './resolve-digest.js';
import { BuildRefusedError, type BuildInput, type BuildOutput } from './types.js';

/** The bundle directory's manifest, lading.yaml before porter.yaml, read with every problem listed. */
function readManifest(input: BuildInput): Manifest {
  const manifestFile = manifestFileNames.map((name) => input.files.find((file) => file.path === name)).find((file) => file !== undefined);
  if (!manifestFile) {
    throw new BuildRefusedError(`the bundle directory has neither ${MANIFEST_FILE_NAME} nor ${PORTER_MANIFEST_FILE_NAME}: create one with \`lading create\``, 'invalid_request');
  }
  let manifest: Manifest;
  try {
    manifest = parseManifest(manifestFile.content.toString('utf8'), manifestFile.path);
  } catch (error) {
    if (error instanceof ManifestError) throw new BuildRefusedError(error.message, 'invalid_request');
    throw error;
  }
  try {
    return overrideDestination(manifest, input.destination ?? {});
  } catch (error) {
    throw new BuildRefusedError((error as Error).message, 'invalid_request');
  }
}

/**
 * lading.yaml or porter.yaml → bundle.json: validates the manifest, pins every image to a digest
 * from its registry, builds the invocation image (non-root, generated run script), pushes it by
 * digest only, and returns a bundle.json that names images by digest alone.
 */
export async function buildBundle(input: BuildInput): Promise<BuildOutput> {
  const manifest = readManifest(input);
  const tag = bundleTag(manifest);
  const target = parseReference(tag);
  const pushTo = registryOf(input, target.registry, `registry "${manifest.registry}"`);
  input.log(`manifest ${manifest.name} ${manifest.version} is valid`);

  const baseImageText = manifest.baseImage ?? input.defaultBaseImage;
  if (baseImageText === undefined) throw new BuildRefusedError('the manifest names no baseImage and this builder has no default base image: add baseImage', 'invalid_request');
  // The base image and every `images:` entry are pinned together, a bounded number at a time.
  const wanted = [
    { text: baseImageText, what: 'baseImage' },
    ...Object.entries(manifest.images).map(([name, image]) => ({
      text: formatImageReference({ repository: image.repository, tag: image.tag, digest: image.digest }),
      what: `images.${name}`,
    })),
  ];
  const [baseImage, ...pinned] = await withSpan('lading', 'image resolve', { 'lading.image.count': wanted.length }, () =>
    resolveDigests(wanted, input.registryFor, { concurrency: input.pinConcurrency }),
  );
  const defaultNote = manifest.baseImage === undefined ? ' (the default)' : '';
  wanted.forEach(({ text, what }, index) => input.log(`${what} ${text}${index === 0 ? defaultNote : ''} → ${[baseImage, ...pinned][index]?.reference}`));
  const images: Record<string, PinnedImage> = Object.fromEntries(Object.keys(manifest.images).map((name, index) => [name, pinned[index] as PinnedImage]));

  const context = assembleBuildContext({
    files: input.files,
    dockerfile: renderDockerfile(manifest, { baseImageDigestRef: baseImage.reference }),
    runScript: renderRunScript(manifest, { images: Object.fromEntries(Object.entries(images).map(([name, image]) => [name, image.reference])) }),
  });
  let imageId;
  try {
    imageId = await withSpan('lading', 'image build', {}, () =>
      buildImage(input.docker, context, { labels: { 'sh.lading.bundle': manifest.name, 'sh.lading.version': manifest.version } }),
    );
  } catch (error) {
    throw new BuildRefusedError(`the invocation image did not build: ${(error as Error).message}`, 'build_failed');
  }
  input.log(`invocation image built (${imageId.slice(0, 19)})`);

  let pushed;
  try {
    const built = imageId;
    pushed = await withSpan('lading', 'image push', {}, async (span) => {
      const result = await pushDockerArchive(pushTo, target.repository, await saveImage(input.docker, built));
      span.setAttribute('container.image.id', result.digest);
      return result;
    });
  } catch (error) {
    if (!(error instanceof OciError)) throw error;
    throw new BuildRefusedError(`the invocation image could not be pushed to ${target.registry}/${target.repository}: ${error.message}`, 'build_failed');
  }
  const invocationReference = `${target.registry}/${target.repository}@${pushed.digest}`;
  input.log(`invocation image pushed by digest: ${invocationReference} (no tag written)`);

  const bundle = validateBundle(
    toBundleJson(manifest, {
      baseImage,
      images,
      invocationImage: { reference: invocationReference, digest: pushed.digest, mediaType: pushed.mediaType, size: pushed.size },
    }),
  );
  return { bundle: bundle as unknown as Record<string, unknown>, tag };
}

/** The client for the registry the bundle is pushed to, asked for before anything is built. */
function registryOf(input: BuildInput, host: string, what: string) {
  try {
    return input.registryFor(host, what);
  } catch (error) {
    if (error instanceof OciError) throw new BuildRefusedError(error.message, 'unresolvable');
    throw error;
  }
}
