import { claimStatuses, hasOwnName, ownRecord, ownValue, type Bundle, type Claim, type ClaimResult, type ClaimResultOutput, type ClaimStatus } from '@lading/contracts';
import { newUlid } from './ulid.js';
import { isSensitiveParameter } from './value-rules.js';

export interface CreateClaimInput {
  id?: string;
  installation: string;
  namespace?: string;
  action: string;
  bundle: Bundle;
  bundleReference: string;
  /** Values given for the run. Sensitive ones are never recorded: see `secretReferences`. */
  parameters?: Record<string, unknown>;
  /** Parameter name → name of the secret holding its value, recorded instead of a sensitive value. */
  secretReferences?: Record<string, string>;
  revision?: string;
  created?: Date;
}

/** The string a claim records in place of a sensitive value. */
export function secretReference(secretName: string | undefined): string {
  return secretName === undefined ? 'secret:(redacted)' : `secret:${secretName}`;
}

function recordedParameters(input: CreateClaimInput): Record<string, unknown> {
  const recorded = ownRecord<unknown>();
  for (const [name, value] of Object.entries(input.parameters ?? {})) {
    recorded[name] = isSensitiveParameter(input.bundle, name) ? secretReference(ownValue(input.secretReferences, name)) : value;
  }
  for (const [name, secret] of Object.entries(input.secretReferences ?? {})) {
    if (!hasOwnName(recorded, name)) recorded[name] = secretReference(secret);
  }
  return recorded;
}

/** A claim for one run, holding non-sensitive parameter values only. */
export function createClaim(input: CreateClaimInput): Claim {
  const claim: Claim = {
    id: input.id ?? newUlid(),
    installation: input.installation,
    action: input.action,
    bundle: input.bundle,
    bundleReference: input.bundleReference,
    created: (input.created ?? new Date()).toISOString(),
    revision: input.revision ?? newUlid(),
    parameters: recordedParameters(input),
  };
  if (input.namespace !== undefined && input.namespace !== '') claim.namespace = input.namespace;
  return claim;
}

export interface CreateClaimResultInput {
  claimId: string;
  id?: string;
  status: ClaimStatus;
  message?: string;
  /** Output name → its content digest (values never go into a result). */
  outputs?: Record<string, ClaimResultOutput>;
  created?: Date;
}

export function createClaimResult(input: CreateClaimResultInput): ClaimResult {
  if (!(claimStatuses as readonly string[]).includes(input.status)) {
    throw new Error(`Claim result status "${input.status}" is not one of ${claimStatuses.join(', ')}; use one of those.`);
  }
  const result: ClaimResult = {
    id: input.id ?? newUlid(),
    claimId: input.claimId,
    created: (input.created ?? new Date()).toISOString(),
    status: input.status,
  };
  if (input.message !== undefined) result.message = input.message;
  if (input.outputs !== undefined) result.outputs = input.outputs;
  return result;
}
