import type { KV } from '@nats-io/kv';
import { installationLockSchema } from '@lading/contracts';
import { JsonBucket, namespacedKey } from '@lading/store';

/** How long a lock outlives its last heartbeat; runners renew it three times as often. */
export const lockTtlMs = 30_000;
export const heartbeatIntervalMs = lockTtlMs / 3;

export type LockOutcome = { held: true } | { held: false; heldBy: string };

/**
 * One run at a time per installation, across any number of runners and brokers: a key per busy
 * installation, taken with KV create and renewed with compare-and-set, so two takers never both
 * win. The bucket's age limit removes a key nobody renews, so a dead runner's lock lapses.
 */
export class InstallationLocks {
  private readonly bucket: JsonBucket<typeof installationLockSchema>;

  constructor(kv: KV) {
    this.bucket = new JsonBucket(kv, installationLockSchema, 'installation lock');
  }

  /** Takes the lock for `runId`, or renews it when `runId` already holds it. */
  async acquire(namespace: string, installation: string, runId: string): Promise<LockOutcome> {
    const key = namespacedKey(namespace, installation);
    for (;;) {
      const current = await this.bucket.get(key);
      if (current && current.value.runId !== runId) return { held: false, heldBy: current.value.runId };
      try {
        if (current) await this.bucket.update(key, { runId, since: current.value.since }, current.revision);
        else await this.bucket.create(key, { runId, since: new Date().toISOString() });
        return { held: true };
      } catch {
        // Another taker wrote between our read and our write: read again and decide again.
      }
    }
  }

  /** Renews the lock of `runId`; false when it lapsed and someone else took it. */
  async renew(namespace: string, installation: string, runId: string): Promise<boolean> {
    return (await this.acquire(namespace, installation, runId)).held;
  }

  /** Releases the lock if `runId` holds it; another run's lock is left alone. */
  async release(namespace: string, installation: string, runId: string): Promise<void> {
    const key = namespacedKey(namespace, installation);
    const current = await this.bucket.get(key);
    if (!current || current.value.runId !== runId) return;
    await this.bucket.kv.delete(key, { previousSeq: current.revision }).catch(() => undefined);
  }
}
