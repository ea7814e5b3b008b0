import type { KeyObject } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import { buckets, runAdmissionSchema } from '@lading/contracts';
import type { SecretStore } from '@lading/secrets';
import { openBucket } from '@lading/service-kit';
import { JsonBucket, RunRecords, SetStore } from '@lading/store';
import { InstallationLocks, lockTtlMs } from './installation-lock.js';
import { RunnerKeys } from './runner-keys.js';
import type { RunPathState } from './types.js';

/** Opens (creating on first use) the broker-owned buckets the run path is decided from. */
export async function openRunState(nc: NatsConnection, store: SecretStore, brokerKey: KeyObject, options: { lockTtlMs?: number } = {}): Promise<RunPathState> {
  return {
    admissions: new JsonBucket(await openBucket(nc, buckets.admissions, { ttl: 7 * 24 * 60 * 60 * 1000 }), runAdmissionSchema, 'run admission'),
    runnerKeys: new RunnerKeys(await openBucket(nc, buckets.runnerKeys)),
    locks: new InstallationLocks(await openBucket(nc, buckets.installationLocks, { ttl: options.lockTtlMs ?? lockTtlMs })),
    credentialSets: new SetStore(await openBucket(nc, buckets.credentialSets), 'credentials'),
    parameterSets: new SetStore(await openBucket(nc, buckets.parameterSets), 'parameters'),
    store,
    records: await RunRecords.open((name) => openBucket(nc, name)),
    brokerKey,
    redemptions: await openBucket(nc, buckets.leases, { ttl: 24 * 60 * 60 * 1000 }),
  };
}
