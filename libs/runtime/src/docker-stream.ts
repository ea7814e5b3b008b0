import type Docker from 'dockerode';
import { RuntimeError } from './errors.js';
import type { DockerStreamListener, DockerStreamMessage } from './types.js';

/**
 * Resolves with every message of a build/pull/push/import stream, or rejects with the engine's
 * own message. dockerode's followProgress reports success even when the engine sent an error
 * message, so each message is inspected here.
 */
export function followDockerStream(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  onMessage?: DockerStreamListener,
): Promise<DockerStreamMessage[]> {
  return new Promise((resolve, reject) => {
    let engineError: string | undefined;
    const onProgress = (message: DockerStreamMessage): void => {
      const reported = message.errorDetail?.message ?? message.error;
      if (reported !== undefined && engineError === undefined) {
        engineError = String(reported).trim();
      }
      onMessage?.(message);
    };
    const onFinished = (error: Error | null, messages: DockerStreamMessage[]): void => {
      if (engineError !== undefined) {
        reject(new RuntimeError('docker-engine', engineError));
      } else if (error) {
        reject(new RuntimeError('docker-engine', `The Docker Engine stream broke off: ${error.message}`, { cause: error }));
      } else {
        resolve(messages);
      }
    };
    try {
      docker.modem.followProgress(stream, onFinished, onProgress);
    } catch (error) {
      reject(new RuntimeError('docker-engine', `The Docker Engine sent an unreadable stream: ${String(error)}`));
    }
  });
}
