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
  templateBuildArgs,
  toBundleJson,
  type Manifest,
} from '@lading/manifest';
import { OciError, parseReference, pushDockerArchive } from '@lading/oci';
import { assembleBuildContext, buildImage, saveImage } from '@lading/runtime';
import { BuildOutputTail } from './build-output-tail.js';
import { readTemplate } from './read-template.js';
import { resolveDigests, type PinnedImage } from './resolve-digest.js';
import { resolveDependencies } from './resolve-dependencies.js';
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
  const manifest = await resolveDependencies(readManifest(input), input.registryFor, input.log);
  const tag = bundleTag(manifest);
  const target = parseReference(tag);
  const pushTo = registryOf(input, target.registry, `registry "${manifest.registry}"`);
  input.log(`manifest ${manifest.name} ${manifest.version} is valid`);

  const template = readTemplate(manifest, input.files, input.defaultBaseImage);
  const baseImageText = template?.final ?? manifest.baseImage ?? input.defaultBaseImage;
  if (baseImageText === undefined) throw new BuildRefusedError('the manifest names no baseImage and this builder has no default base image: add baseImage', 'invalid_request');
  // The base image, every `images:` entry and every FROM of a template are pinned together, a bounded number at a time.
  const imageEntries = Object.entries(manifest.images);
  const fromWhat = (line: number) => `dockerfile ${manifest.dockerfile}:${line} FROM`;
  const finalLine = template?.images.find(({ image }) => image === template.final)?.line ?? 0;
  const wanted = [
    { text: baseImageText, what: template === undefined ? 'baseImage' : fromWhat(finalLine) },
    ...imageEntries.map(([name, image]) => ({
      text: formatImageReference({ repository: image.repository, tag: image.tag, digest: image.digest }),
      what: `images.${name}`,
    })),
    ...(template?.images ?? []).map(({ image, line }) => ({ text: image, what: fromWhat(line) })),
  ];
  const [baseImage, ...pinned] = await withSpan('lading', 'image resolve', { 'lading.image.count': wanted.length }, () =>
    resolveDigests(wanted, input.registryFor, { concurrency: input.pinConcurrency }),
  );
  const defaultNote = manifest.baseImage === undefined && template === undefined ? ' (the default)' : '';
  // With a template, its FROM lines say what the base is: the first entry repeats one of them.
  const all = [baseImage, ...pinned];
  wanted.forEach(({ text, what }, index) => {
    if (index > 0 || template === undefined) input.log(`${what} ${text}${index === 0 ? defaultNote : ''} → ${all[index]?.reference}`);
  });
  const images: Record<string, PinnedImage> = Object.fromEntries(imageEntries.map(([name], index) => [name, pinned[index] as PinnedImage]));
  const templatePins = new Map((template?.images ?? []).map(({ image }, index) => [image, (pinned[imageEntries.length + index] as PinnedImage).reference]));

  const context = assembleBuildContext({
    files: input.files,
    dockerfile: renderDockerfile(manifest, {
      baseImageDigestRef: baseImage.reference,
      ...(template === undefined ? {} : { template: { text: template.text, pinned: templatePins } }),
    }),
    runScript: renderRunScript(manifest, { images: Object.fromEntries(Object.entries(images).map(([name, image]) => [name, image.reference])) }),
  });
  const output = new BuildOutputTail();
  let imageId;
  try {
    imageId = await withSpan('lading', 'image build', {}, () =>
      buildImage(input.docker, context, {
        labels: { 'sh.lading.bundle': manifest.name, 'sh.lading.version': manifest.version },
        ...(template === undefined ? {} : { buildArgs: { ...templateBuildArgs } }),
        ...(input.buildEgress === undefined ? {} : { egress: input.buildEgress }),
        onMessage: (message) => output.add(message.stream),
      }),
    );
  } catch (error) {
    throw new BuildRefusedError(`the invocation image did not build: ${(error as Error).message}${output.tail()}`, 'build_failed');
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
  return { bundle, tag };
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
