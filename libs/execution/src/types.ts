import type Docker from 'dockerode';
import type { LeaseReply, LeaseRequest, RunEvent, SealedBox } from '@lading/contracts';
import type { KnownBundles, PulledBundle, RegistryClient } from '@lading/oci';
import type { BundleContainerSettings } from '@lading/runtime';
import type { RunRecords } from '@lading/store';
import { CodedError } from '@lading/contracts/errors';
import type { SignaturePolicy } from './signature-policy.js';

/** What one runner needs to execute runs; each part is replaceable in tests. */
export interface ExecutionDependencies {
  runnerId: string;
  docker: Docker;
  /** The registry front door bundles are pulled through. */
  registry: RegistryClient;
  /** Bundles this runner has read by digest through `registry`; without it every run reads its bundle again. */
  knownBundles?: KnownBundles;
  /**
   * The run's bundle, already being read (see `startBundlePull`): a runner starts reading it while
   * its claim is answered. Without it the run reads its bundle itself.
   */
  bundlePull?: Promise<PulledBundle>;
  records: RunRecords;
  /** Signs a statement with the Ed25519 key this runner registered with the broker when it started. */
  sign(statement: string): string;
  requestLease(request: LeaseRequest): Promise<LeaseReply>;
  brokerPublicKey(): Promise<string>;
  storeSensitiveOutput(request: { runId: string; installation: string; output: string; sealed: SealedBox }): Promise<{ secretName: string }>;
  publishEvent(event: RunEvent): void;
  /** Who owns the bundle containers (runner and stack) and the operator's limits for them. */
  container: BundleContainerSettings;
  /** Whether the operator granted this bundle, by its digest, the Docker socket; the runner audits every grant. */
  allowDockerSocket(bundle: { runId: string; bundleReference: string; bundleDigest: string }): boolean;
  /** The operator's rules of which repositories' bundles must be signed, and by which keys; none when absent. */
  signaturePolicy?: SignaturePolicy;
  /**
   * Takes the removal of a finished run's container and network, started once its result is
   * recorded and published, so the run's reply does not wait for it; without it the run waits.
   */
  removeAfterRecord?(removal: Promise<void>): void;
  log(message: string, fields?: Record<string, string | number | boolean | undefined>): void;
}

/** Why a run failed before or instead of its container: shown to the user as is. */
export class RunRefusedError extends CodedError {
  constructor(message: string) {
    super('invalid_request', message);
  }
}
