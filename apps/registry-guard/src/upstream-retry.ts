import { setTimeout as delay } from 'node:timers/promises';
import { OciError } from '@lading/oci';

const attempts = 5;

/**
 * docker-registry's filesystem storage rewrites a link file in place, so a read racing a
 * concurrent write of the same manifest can answer 500. Such answers are transient: the
 * step is retried a few times, with a growing pause, before the failure is reported.
 */
export async function retryTransient<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      const transient = error instanceof OciError && error.status !== undefined && error.status >= 500;
      if (!transient || attempt >= attempts) throw error;
      await delay(25 * 2 ** attempt);
    }
  }
}
