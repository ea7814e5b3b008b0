import type Docker from 'dockerode';
import type { LeaseReply, LeaseRequest, RunEvent, SealedBox } from '@lading/contracts';
import type { RegistryClient } from '@lading/oci';
import type { BundleContainerSettings } from '@lading/runtime';
import type { RunRecords } from '@lading/store';

/** What one runner needs to execute runs; each part is replaceable in tests. */
export interface ExecutionDependencies {
  runnerId: string;
  docker: Docker;
  /** The registry front door bundles are pulled through. */
  registry: RegistryClient;
  records: RunRecords;
  requestLease(request: LeaseRequest): Promise<LeaseReply>;
  brokerPublicKey(): Promise<string>;
  storeSensitiveOutput(request: { runId: string; installation: string; output: string; sealed: SealedBox }): Promise<{ secretName: string }>;
  publishEvent(event: RunEvent): void;
  /** Who owns the bundle containers (runner and stack) and the operator's limits for them. */
  container: BundleContainerSettings;
  /** Whether the operator granted this bundle, by its digest, the Docker socket; the runner audits every grant. */
  allowDockerSocket(bundle: { runId: string; bundleReference: string; bundleDigest: string }): boolean;
  log(message: string, fields?: Record<string, string | number | boolean | undefined>): void;
}

/** Why a run failed before or instead of its container: shown to the user as is. */
export class RunRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunRefusedError';
  }
}
