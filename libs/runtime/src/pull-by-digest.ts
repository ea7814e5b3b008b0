import type Docker from 'dockerode';
import { familiarName } from '@lading/contracts/reference-grammar';
import { parseDigestReference } from './digest-reference.js';
import { followDockerStream } from './docker-stream.js';
import { engineMessage, httpStatus, RuntimeError } from './errors.js';
import type { DigestReference, PulledImage, PullImageOptions } from './types.js';

/**
 * Pulls an image by digest only and checks that the engine knows it under exactly that digest; a
 * tag-only reference is refused before anything is fetched. An image the engine already holds
 * under that repository and digest was verified when it was pulled and is not fetched again.
 * Docker answers `repo@sha256:X` with any local image whose id is X, even one never pulled from
 * repo: the recorded RepoDigests, not a successful lookup, are what say the content is the one asked for.
 */
export async function pullImageByDigest(docker: Docker, reference: string, options: PullImageOptions = {}): Promise<PulledImage> {
  const wanted = parseDigestReference(reference);
  const present = await inspectIfPresent(docker, reference);
  if (present && carries(present, wanted)) return { id: present.Id, reference, labels: present.Config?.Labels ?? {} };
  try {
    const query = { fromImage: wanted.repository, tag: wanted.digest };
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
  if (!carries(image, wanted)) {
    throw new RuntimeError('digest-mismatch', `Image pulled for ${reference} is known by ${recordedDigests(image).join(', ') || 'no digest'} instead: the registry served other content; do not run it.`);
  }
  return { id: image.Id, reference, labels: image.Config?.Labels ?? {} };
}

async function inspectIfPresent(docker: Docker, reference: string): Promise<Docker.ImageInspectInfo | undefined> {
  try {
    return await docker.getImage(reference).inspect();
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw new RuntimeError('docker-engine', `Looking up ${reference} failed: ${engineMessage(error)}`, { cause: error });
  }
}

function canonical({ repository, digest }: DigestReference): string {
  return `${familiarName(repository)}@${digest}`;
}

/** The one check, before and after a pull: the engine recorded this repository and digest for the image. */
function carries(image: Docker.ImageInspectInfo, wanted: DigestReference): boolean {
  return recordedDigests(image).includes(canonical(wanted));
}

/** The `repo@digest` pairs the engine recorded when it pulled the image, normalised. */
function recordedDigests(image: Docker.ImageInspectInfo): string[] {
  return (image.RepoDigests ?? []).map((entry) => {
    const at = entry.indexOf('@');
    return canonical({ repository: entry.slice(0, at), digest: entry.slice(at + 1) });
  });
}
