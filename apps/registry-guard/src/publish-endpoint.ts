import { endpoints } from '@lading/contracts';
import { TagConflictError, TagDriftError, type BundlePublisher } from '@lading/guard';
import { assertPerson, serveEndpoint, type ServiceContext } from '@lading/service-kit';
import { instruments } from '@lading/telemetry';

/**
 * Serves `publish` over NATS. The publisher is the principal nats-server vouches for: a request
 * without one (a service's credential) is refused, and a principal publishes only into its
 * namespaces' repositories and forces only when the operator allows it.
 */
export function servePublish(context: ServiceContext, publisher: BundlePublisher): void {
  serveEndpoint(
    context.service,
    endpoints.publish,
    async ({ bundle, tag, force }, { caller }) => {
      const { principal, namespaces } = assertPerson(caller);
      try {
        const published = await publisher.publish({ bundle, tag, force, principal, namespaces });
        instruments().ledgerDecisions.add(1, { outcome: published.outcome });
        return published;
      } catch (error) {
        if (error instanceof TagConflictError || error instanceof TagDriftError) instruments().ledgerDecisions.add(1, { outcome: 'refused' });
        throw error;
      }
    },
    context.logger,
  );
}
