import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { followDockerStream } from '../src/internal.js';

export const uniqueName = (what: string): string => `lading-test-${what}-${randomBytes(4).toString('hex')}`;

/** The Dockerfile shape the manifest lib produces, with the USER line open to adversarial values and room for probe fixtures. */
export function bundleDockerfile(base: string, user = '65532:65532', extra: string[] = []): string {
  return [`FROM ${base}`, 'COPY app/ /cnab/app/', 'COPY run /cnab/app/run', ...extra, `USER ${user}`, 'ENTRYPOINT ["/cnab/app/run"]', ''].join('\n');
}

/** Pushes a local image to the test registry and returns its `repo@sha256:` reference; `made` collects names to remove. */
export async function pushForDigest(docker: Docker, localImage: string, registryHost: string, repository: string, made: Set<string>): Promise<string> {
  const target = `${registryHost}/${repository}`;
  made.add(`${target}:v1`);
  await docker.getImage(localImage).tag({ repo: target, tag: 'v1' });
  const messages = await followDockerStream(docker, await docker.getImage(`${target}:v1`).push({ authconfig: { serveraddress: registryHost } }));
  const digest = messages.map((message) => message.aux?.Digest).find((value) => typeof value === 'string');
  if (!digest) throw new Error(`push of ${target}:v1 reported no digest`);
  return `${target}@${digest}`;
}

export async function removeImages(docker: Docker, names: Iterable<string>): Promise<void> {
  for (const name of names) {
    await docker.getImage(name).remove({ force: true }).catch(() => undefined);
  }
}

export async function containerExists(docker: Docker, id: string): Promise<boolean> {
  try {
    await docker.getContainer(id).inspect();
    return true;
  } catch {
    return false;
  }
}
