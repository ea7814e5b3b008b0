import type { Logger } from '@lading/service-kit';

/**
 * Removals of finished runs' containers and networks, which go on after the result is recorded
 * and the next run may already have started. A stopping runner waits for them; one it never
 * finishes (the runner killed) is a leftover it removes on its next start.
 */
export class PendingRemovals {
  readonly #pending = new Set<Promise<void>>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  add(removal: Promise<void>): void {
    const tracked = removal
      .catch((error: unknown) => this.#logger.warn('a finished run was not cleaned up; it is removed when the runner starts again', { error: (error as Error).message }))
      .finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  }

  async settled(): Promise<void> {
    await Promise.all(this.#pending);
  }
}
