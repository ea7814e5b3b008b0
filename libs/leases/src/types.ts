import type { KV } from '@nats-io/kv';
import type { LeaseAuditEntry } from '@lading/contracts';
import type { SecretStore } from '@lading/secrets';
import type { RunRecords, SetStore } from '@lading/store';

/** Everything the broker consults to decide on a lease. */
export interface LeaseDependencies {
  runs: RunRecords;
  credentialSets: SetStore;
  parameterSets: SetStore;
  store: SecretStore;
  /** One key per run, created once: the second attempt to redeem finds it taken. */
  redemptions: KV;
  /** The environment `env` and `command` sources see (the broker's own). */
  env: Record<string, string | undefined>;
  audit(entry: LeaseAuditEntry): Promise<void>;
  /** Lease lifetime; capped at 30 seconds. */
  ttlMs?: number;
  now?: () => Date;
}

export type LeaseRefusalCode = 'not_found' | 'forbidden' | 'conflict' | 'unresolvable';
