import { setTimeout as delay } from 'node:timers/promises';
import { OciError } from '@lading/oci';

const attempts = 5;

/**
 * docker-registry's filesystem storage rewrites link files in place, so a step racing another
 * writer of the same manifest or blob (another guard replica, say) can be answered 500, or 400
 * DIGEST_INVALID for content whose digest this guard computed itself. Such answers are
 * transient: the step is retried a few times, with a growing pause, before the failure stands.
 */
export async function retryTransient<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      const transient = error instanceof OciError && ((error.status ?? 0) >= 500 || error.reason === 'DIGEST_INVALID');
      if (!transient || attempt >= attempts) throw error;
      await delay(25 * 2 ** attempt);
    }
  }
}
