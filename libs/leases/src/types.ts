import type { KeyObject } from 'node:crypto';
import type { LeaseAuditEntry, RunAdmission, RunRequest } from '@lading/contracts';
import { runAdmissionSchema } from '@lading/contracts';
import type { Bundle } from '@lading/cnab';
import type { KV } from '@nats-io/kv';
import type { SecretStore } from '@lading/secrets';
import type { JsonBucket, RunRecords, SetStore } from '@lading/store';
import type { InstallationLocks } from './installation-lock.js';
import type { RunnerKeys } from './runner-keys.js';

export type AdmissionBucket = JsonBucket<typeof runAdmissionSchema>;

/** The broker-owned state the run path is decided from; nothing in it is writable by callers. */
export interface RunPathState {
  admissions: AdmissionBucket;
  runnerKeys: RunnerKeys;
  locks: InstallationLocks;
  credentialSets: SetStore;
  parameterSets: SetStore;
  store: SecretStore;
  /** The runner's records, read only: which bundle an installation runs, how its last runs ended. */
  records: RunRecords;
  /** The broker's X25519 private key: run inputs are sealed to it. */
  brokerKey: KeyObject;
  /** One key per run, created once: the second attempt to redeem finds it taken. */
  redemptions: KV;
}

export interface AdmissionDependencies extends RunPathState {
  /** Reads bundle.json by digest through the registry front door. */
  readBundle(reference: string): Promise<Bundle>;
  /** Puts the admitted run on the runners' work queue. */
  enqueue(request: RunRequest): Promise<void>;
}

export interface LeaseDependencies extends RunPathState {
  audit(entry: LeaseAuditEntry): Promise<void>;
  /** Lease lifetime when the request names none; every lifetime is capped at 30 seconds. */
  ttlMs?: number;
  now?: () => Date;
}

export type { RunAdmission };
export type LeaseRefusalCode = 'not_found' | 'forbidden' | 'conflict' | 'busy' | 'unresolvable' | 'invalid_request' | 'dependencies_first';
