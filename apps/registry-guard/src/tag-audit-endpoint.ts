import { endpoints } from '@lading/contracts';
import type { TagLedger } from '@lading/guard';
import { serveEndpoint, type ServiceContext } from '@lading/service-kit';

/** Serves `tagAudit`: the forced tag overwrites and deletes, oldest first, the latest `limit` of them. */
export function serveTagAudit(context: ServiceContext, ledger: TagLedger): void {
  serveEndpoint(
    context.service,
    endpoints.tagAudit,
    async ({ limit }) => {
      return { entries: await ledger.listTagAudit(limit) };
    },
    context.logger,
  );
}
