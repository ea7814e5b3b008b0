import { endpoints } from '@lading/contracts';
import { serveEndpoint, ServiceFailure, type ServiceContext } from '@lading/service-kit';
import type { RunRecords } from '@lading/store';

/**
 * Forgets an installation's records when the broker asks, which it does only once it holds the
 * installation's lock and has deleted its secrets. The bus lets the broker alone call this; a
 * request that names a person is refused besides.
 */
export function serveInstallationForget(context: ServiceContext, records: RunRecords): void {
  const { service, logger } = context;
  serveEndpoint(
    service,
    endpoints.installationsForget,
    async ({ name, namespace }, { caller }) => {
      if (caller) throw new ServiceFailure('forbidden', 'only the secret broker deletes installations: use `lading installations delete`');
      const deletedRuns = await records.forgetInstallation(namespace, name);
      logger.info('installation records deleted', { installation: name, namespace, deletedRuns });
      return { deletedRuns };
    },
    logger,
  );
}
