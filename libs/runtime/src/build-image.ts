import type Docker from 'dockerode';
import { followDockerStream } from './docker-stream.js';
import { engineMessage, RuntimeError } from './errors.js';
import type { BuildContext, BuildImageOptions } from './types.js';

/** Builds an image from a tar build context and resolves with its id (`sha256:…`). */
export async function buildImage(docker: Docker, context: BuildContext, options: BuildImageOptions = {}): Promise<string> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.buildImage(context, {
      ...(options.tag ? { t: options.tag } : {}),
      labels: options.labels ?? {},
      ...(options.buildArgs === undefined ? {} : { buildargs: options.buildArgs }),
      ...(options.egress === 'off' ? { networkmode: 'none' } : {}),
      rm: true,
      forcerm: true,
    });
  } catch (error) {
    throw new RuntimeError('docker-engine', `Docker build failed: ${engineMessage(error)}`, { cause: error });
  }
  let messages;
  try {
    messages = await followDockerStream(docker, stream, options.onMessage);
  } catch (error) {
    throw new RuntimeError('docker-engine', `Docker build failed: ${(error as Error).message}`, { cause: error });
  }
  const id = messages.map((message) => message.aux?.ID).find((value) => typeof value === 'string');
  if (id) return id;
  // The classic builder of older engines reports only "Successfully built <short id>".
  const built = messages
    .map((message) => /Successfully built ([0-9a-f]+)/.exec(message.stream ?? '')?.[1])
    .find((value) => value !== undefined);
  if (built) return (await docker.getImage(built).inspect()).Id;
  throw new RuntimeError('docker-engine', 'Docker build finished without reporting an image id: check the Docker Engine logs.');
}
