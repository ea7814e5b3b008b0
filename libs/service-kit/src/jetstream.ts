import { jetstreamManager, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV, type KvOptions } from '@nats-io/kv';
import { Objm, type ObjectStore } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/nats-core';

/** Opens a KV bucket, creating it on first use. */
export async function openBucket(nc: NatsConnection, bucket: string, options: Partial<KvOptions> = {}): Promise<KV> {
  return new Kvm(nc).create(bucket, { history: 1, storage: StorageType.File, ...options });
}

/** Opens an object store, creating it on first use. */
export async function openObjectStore(nc: NatsConnection, name: string, ttlMs?: number): Promise<ObjectStore> {
  return new Objm(nc).create(name, ttlMs ? { ttl: ttlMs * 1_000_000 } : {});
}

export interface StreamSpec {
  name: string;
  subjects: readonly string[];
}

/** Creates or updates a stream; `workQueue` makes each message go to exactly one consumer. */
export async function ensureStream(nc: NatsConnection, spec: StreamSpec, workQueue = false): Promise<JetStreamManager> {
  const manager = await jetstreamManager(nc);
  const config = {
    name: spec.name,
    subjects: [...spec.subjects],
    storage: StorageType.File,
    retention: workQueue ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
  };
  let existing;
  try {
    existing = await manager.streams.info(spec.name);
  } catch {
    await manager.streams.add(config);
    return manager;
  }
  // Only a changed definition is updated: no service may update a stream in normal operation.
  const same = existing.config.subjects?.length === config.subjects.length && config.subjects.every((subject) => existing.config.subjects?.includes(subject));
  if (!same) await manager.streams.update(spec.name, { subjects: config.subjects });
  return manager;
}

