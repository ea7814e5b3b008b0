import type Docker from 'dockerode';

/** How far back the event subscription reaches: the engine replays its recent events from then. */
const replaySeconds = 5;

/** The exit status of one container, from whichever of the engine's two reports comes first. */
export interface ContainerExit {
  /** The container's exit status and which report gave it first; call it once the container has started. */
  exitCode(): Promise<{ code: number; from: 'die event' | 'wait' }>;
  /** Stops listening; call it once the exit code is known or the run is abandoned. */
  stop(): void;
}

/**
 * Starts listening for the exit of a container that is not started yet. The engine reports the
 * status twice: in its `die` event, as the process ends, and in the answer to `wait`, which
 * Docker gives only after it has unmounted the container and disconnected its network (50–200 ms
 * later on a busy host). Both are the engine's own record of the process's status, so the first
 * one is taken: a run's result need not wait for that cleanup, which the caller does afterwards
 * anyway. The subscription names the container's id (unique on the engine), so another run's
 * exit is never read as this one's; it reaches back a few seconds because the engine may begin
 * sending events only after it has answered the subscription, and `wait` still answers if the
 * event never comes.
 */
export function watchContainerExit(docker: Docker, container: Docker.Container): ContainerExit {
  const since = Math.floor(Date.now() / 1000) - replaySeconds;
  const subscription = new AbortController();
  // Not awaited: the replay covers a subscription that starts late, and an engine slow to answer it must not hold up the start.
  const fromEvent = new Promise<number>((resolve) => {
    // dockerode passes abortSignal on to its request, though its type does not name it.
    const options: Parameters<Docker['getEvents']>[0] & { abortSignal: AbortSignal } = {
      since,
      filters: { type: ['container'], container: [container.id], event: ['die'] },
      abortSignal: subscription.signal,
    };
    docker
      .getEvents(options)
      .then((stream) => {
        const events = stream as NodeJS.ReadableStream;
        let pending = '';
        events.on('data', (chunk: Buffer) => {
          pending += chunk.toString('utf8');
          const lines = pending.split('\n');
          pending = lines.pop() ?? '';
          for (const line of lines) {
            const code = dieExitCode(line, container.id);
            if (code !== undefined) resolve(code);
          }
        });
        // A broken subscription leaves the answer to `wait`.
        events.on('error', () => undefined);
      })
      .catch(() => undefined);
  });
  return {
    exitCode() {
      // Asked after the start: before it, a created container already counts as not running.
      const fromWait = container.wait().then((answer: { StatusCode: number }) => ({ code: answer.StatusCode, from: 'wait' as const }));
      // The slower report may fail once the caller has removed the container: that is not the run's failure.
      fromWait.catch(() => undefined);
      return Promise.race([fromEvent.then((code) => ({ code, from: 'die event' as const })), fromWait]);
    },
    stop() {
      subscription.abort();
    },
  };
}

/** The exit status a `die` event of this container reports, if the line is one. */
function dieExitCode(line: string, containerId: string): number | undefined {
  let event: { Action?: string; Actor?: { ID?: string; Attributes?: Record<string, string> } };
  try {
    event = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (event.Action !== 'die' || event.Actor?.ID !== containerId) return undefined;
  const text = event.Actor.Attributes?.exitCode ?? '';
  return /^\d{1,3}$/.test(text) ? Number(text) : undefined;
}
