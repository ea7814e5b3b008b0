import Docker from 'dockerode';
import { RuntimeError } from './errors.js';
import type { ConnectDockerOptions } from './types.js';

export const defaultDockerSocket = '/var/run/docker.sock';

export function connectDocker(options: ConnectDockerOptions = {}): Docker {
  return new Docker({ socketPath: options.socketPath ?? defaultDockerSocket });
}

export async function ensureDockerAvailable(docker: Docker): Promise<void> {
  try {
    await docker.ping();
  } catch (error) {
    const socket = (docker.modem as { socketPath?: unknown }).socketPath;
    const where = typeof socket === 'string' ? socket : defaultDockerSocket;
    throw new RuntimeError(
      'docker-unavailable',
      `Docker Engine is not answering on ${where}: start dockerd (tools/setup.sh does it)`,
      { cause: error },
    );
  }
}
