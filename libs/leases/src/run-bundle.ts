import type { RunSubmitRequest } from '@lading/contracts';
import type { RunRecords } from '@lading/store';
import { LeaseRefusedError } from './lease-refused.js';

/**
 * The bundle a run uses, by digest: the one the request pins, or else the one the installation's
 * record names — never a tag resolved again, so an upgrade without `--reference` runs exactly
 * what the installation ran before, whatever the tag points at now. An install always names its bundle.
 */
export async function runBundleReference(request: RunSubmitRequest, records: RunRecords): Promise<string> {
  if (request.bundleReference) return request.bundleReference;
  if (request.action === 'install') {
    throw new LeaseRefusedError('invalid_request', `install ${request.installation} needs its bundle: pass --reference REF or --dir DIR`);
  }
  const recorded = (await records.getInstallation(request.namespace, request.installation))?.value;
  if (!recorded) {
    throw new LeaseRefusedError('not_found', `installation ${request.installation} has no recorded bundle: install it first, or pass --reference REF`);
  }
  return recorded.bundleReference;
}
