import type Docker from 'dockerode';
import type { DestinationOverride } from '@lading/manifest';
import type { RegistryClient } from '@lading/oci';
import type { BundleFile, Egress } from '@lading/runtime';
import type { Bundle } from '@lading/contracts';
import { CodedError } from '@lading/contracts/errors';

export interface BuildInput {
  /** The bundle directory's files, lading.yaml among them. */
  files: readonly BundleFile[];
  docker: Docker;
  /**
   * A client for the registry host a reference names, or an OciError if the builder may not
   * contact it; `what` names the field asking (`baseImage "…"`) for that refusal.
   */
  registryFor(host: string, what: string): RegistryClient;
  /** The base image of a manifest that names none (the stack's default, see defaultBaseImage in @lading/contracts). */
  defaultBaseImage?: string;
  /** Whether the build's RUN steps reach the network (LADING_BUILD_EGRESS); Docker's default network when absent. */
  buildEgress?: Egress;
  /** Where to publish instead of where the manifest says (`--registry`, `--reference`). */
  destination?: DestinationOverride;
  /** Image HEADs in flight at most while pinning (`resolveConcurrency`, 16, when not given). */
  pinConcurrency?: number;
  /** Progress, one line per step, for the user. */
  log(line: string): void;
}

export interface BuildOutput {
  bundle: Bundle;
  /** `<registry>/<name>:v<version>`: where `lading publish` puts it. */
  tag: string;
}

/** A build that cannot proceed for a reason the user can fix; the message says which. */
export class BuildRefusedError extends CodedError {
  declare readonly code: 'invalid_request' | 'unresolvable' | 'build_failed';
  constructor(message: string, code: 'invalid_request' | 'unresolvable' | 'build_failed') {
    super(code, message);
  }
}
