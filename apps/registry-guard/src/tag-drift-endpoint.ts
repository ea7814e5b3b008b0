import { endpoints } from '@lading/contracts';
import { retryTransient, type TagLedger } from '@lading/guard';
import type { RegistryClient } from '@lading/oci';
import { serveEndpoint, type ServiceContext } from '@lading/service-kit';

/**
 * Serves `tagDrift`: every committed tag the upstream serves differently from the ledger, asked
 * of the upstream now (one HEAD per tag); each finding is recorded in the tag audit too.
 */
export function serveTagDrift(context: ServiceContext, ledger: TagLedger, upstream: RegistryClient): void {
  serveEndpoint(
    context.service,
    endpoints.tagDrift,
    async () => {
      const drift = await ledger.findDrift(async (repository, tag) => (await retryTransient(() => upstream.headManifest(repository, tag)))?.digest);
      if (drift.length > 0) context.logger.warn('tags changed behind the guard', { tags: drift.map(({ repository, tag }) => `${repository}:${tag}`).join(', ') });
      return { drift };
    },
    context.logger,
  );
}
