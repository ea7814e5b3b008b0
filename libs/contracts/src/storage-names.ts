import { subjects } from './subjects.js';

/** JetStream streams, KV buckets and object stores, each owned by one service. */
export const streams = {
  /** Work queue of admitted runs (owner: secret-broker, which alone enqueues; runners consume). */
  runs: { name: 'LADING_RUNS', subjects: [subjects.runs.requested] },
  /** Audit of every lease the broker grants or refuses (owner: secret-broker). No values. */
  leaseAudit: { name: 'LADING_LEASE_AUDIT', subjects: ['lading.audit.leases'] },
  /** Audit of every forced tag overwrite (owner: registry-guard). */
  tagAudit: { name: 'LADING_TAG_AUDIT', subjects: ['lading.audit.tags'] },
} as const;

export const buckets = {
  /** Tag ledger: key = encoded `repository:tag`, value = manifest digest (owner: registry-guard). */
  tags: 'lading_tags',
  /** Installations, runs (claims), results and non-sensitive outputs (owner: runner). */
  installations: 'lading_installations',
  runs: 'lading_runs',
  results: 'lading_results',
  outputs: 'lading_outputs',
  /** Redacted log of each run, capped in size (owner: runner). */
  logs: 'lading_logs',
  /** Source mappings only, never values (owner: secret-broker). */
  credentialSets: 'lading_credential_sets',
  parameterSets: 'lading_parameter_sets',
  /** Ciphertext of the built-in store (owner: secret-broker). */
  secrets: 'lading_secrets',
  /** One key per redeemed lease, created once: a replay finds it taken (owner: secret-broker). */
  leases: 'lading_leases',
  /** Admitted runs and their claims; a lease is decided from these alone (owner: secret-broker). */
  admissions: 'lading_run_admissions',
  /** Each runner's registered Ed25519 public key (owner: secret-broker). */
  runnerKeys: 'lading_runner_keys',
  /** One key per busy installation, renewed by its runner's heartbeat, gone when that stops (owner: secret-broker). */
  installationLocks: 'lading_installation_locks',
} as const;

export const objectStores = {
  /**
   * Build contexts, each named by the sha256 of its archive and written once by the builder after
   * verifying that digest; only the builder reads or writes it. Short-lived.
   */
  buildContexts: 'lading_build_contexts',
} as const;
