import { endpoints } from '@lading/contracts';
import { retryTransient, type TagLedger } from '@lading/guard';
import type { RegistryClient } from '@lading/oci';
import { assertPerson, serveEndpoint, type ServiceContext } from '@lading/service-kit';

/**
 * Serves `tagDrift`: every committed tag the upstream serves differently from the ledger, asked
 * of the upstream now (one HEAD per tag) for a principal; each finding is recorded in the tag audit too.
 */
export function serveTagDrift(context: ServiceContext, ledger: TagLedger, upstream: RegistryClient): void {
  serveEndpoint(
    context.service,
    endpoints.tagDrift,
    async (_request, { caller }) => {
      // One upstream HEAD per tag: for people asking, not for any service credential to repeat at will.
      assertPerson(caller);
      const drift = await ledger.findDrift(async (repository, tag) => (await retryTransient(() => upstream.headManifest(repository, tag)))?.digest);
      if (drift.length > 0) context.logger.warn('tags changed behind the guard', { tags: drift.map(({ repository, tag }) => `${repository}:${tag}`).join(', ') });
      return { drift };
    },
    context.logger,
  );
}
