import type Docker from 'dockerode';
import { normalizeRepository, parseDigestReference } from './digest-reference.js';
import { followDockerStream } from './docker-stream.js';
import { engineMessage, RuntimeError } from './errors.js';
import type { PulledImage, PullImageOptions } from './types.js';

/**
 * Pulls an image by digest only and checks that the engine now knows it under exactly that
 * digest; a tag-only reference is refused before anything is fetched.
 */
export async function pullImageByDigest(docker: Docker, reference: string, options: PullImageOptions = {}): Promise<PulledImage> {
  const { repository, digest } = parseDigestReference(reference);
  try {
    const query = { fromImage: repository, tag: digest };
    // createImage with separate auth keeps credentials in the X-Registry-Auth header, out of the URL.
    const stream = options.auth ? await docker.createImage(options.auth, query) : await docker.createImage(query);
    await followDockerStream(docker, stream, options.onMessage);
  } catch (error) {
    const reason = error instanceof RuntimeError ? error.message : engineMessage(error);
    throw new RuntimeError('docker-engine', `Pulling ${reference} failed: ${reason}`, { cause: error });
  }
  const image = await docker.getImage(reference).inspect().catch((error: unknown) => {
    throw new RuntimeError('docker-engine', `Image ${reference} is missing after the pull: ${engineMessage(error)}`, { cause: error });
  });
  const wanted = `${normalizeRepository(repository)}@${digest}`;
  const known = (image.RepoDigests ?? []).map((entry) => {
    const at = entry.indexOf('@');
    return `${normalizeRepository(entry.slice(0, at))}@${entry.slice(at + 1)}`;
  });
  if (!known.includes(wanted)) {
    throw new RuntimeError('digest-mismatch', `Image pulled for ${reference} is known by ${known.join(', ') || 'no digest'} instead: the registry served other content; do not run it.`);
  }
  return { id: image.Id, reference };
}
