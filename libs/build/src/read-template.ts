import { DockerfileTemplateError, templateImages, type Manifest, type TemplateImage } from '@lading/manifest';
import { isRegistryHost } from '@lading/oci';
import type { BundleFile } from '@lading/runtime';
import { BuildRefusedError } from './types.js';

export interface BundleTemplate {
  text: string;
  /** The distinct images its stages start from, each to pin. */
  images: TemplateImage[];
  /** The image the invocation image rests on. */
  final: string;
}

/**
 * The manifest's `dockerfile:` template from the bundle's files, read before anything is
 * contacted. `example` is an image the stack holds, for the hint when a FROM names Docker Hub.
 */
export function readTemplate(manifest: Manifest, files: readonly BundleFile[], example?: string): BundleTemplate | undefined {
  const path = manifest.dockerfile;
  if (path === undefined) return undefined;
  const file = files.find((candidate) => candidate.path === path);
  if (file === undefined) throw new BuildRefusedError(`dockerfile ${path} is not in the bundle directory: add the template or correct dockerfile in the manifest`, 'invalid_request');
  const text = file.content.toString('utf8');
  try {
    const { images, final } = templateImages(text, path);
    const distinct = images.filter((image, index) => images.findIndex((other) => other.image === image.image) === index);
    // Porter's templates say `FROM debian:stable-slim`, which Docker reads as Docker Hub's.
    const hub = distinct.find(({ image }) => !isRegistryHost(image.split('/')[0] ?? '') || !image.includes('/'));
    if (hub !== undefined) {
      const instead = example === undefined ? '' : `, such as ${example}`;
      throw new BuildRefusedError(
        `dockerfile ${path}:${hub.line}: FROM ${hub.image} names an image on Docker Hub, which Lading does not contact: copy it into a registry the stack allows and name it with that registry's host${instead}`,
        'unresolvable',
      );
    }
    return { text, images: distinct, final };
  } catch (error) {
    if (error instanceof DockerfileTemplateError) throw new BuildRefusedError(`dockerfile ${error.message}`, 'invalid_request');
    throw error;
  }
}
