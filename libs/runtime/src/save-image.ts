import type Docker from 'dockerode';
import { engineMessage, RuntimeError } from './errors.js';

/** The `docker save` tar stream of one image (manifest.json, config and layers). */
export async function saveImage(docker: Docker, imageIdOrTag: string): Promise<NodeJS.ReadableStream> {
  try {
    return await docker.getImage(imageIdOrTag).get();
  } catch (error) {
    throw new RuntimeError('image-missing', `Image ${imageIdOrTag} cannot be saved: ${engineMessage(error)}.`, { cause: error });
  }
}
