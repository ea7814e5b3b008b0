import { endpoints } from '@lading/contracts';
import { ForceNotAllowedError, PublishRefusedError, TagConflictError, TagDriftError, type BundlePublisher } from '@lading/guard';
import { OciError } from '@lading/oci';
import { serveEndpoint, ServiceFailure, type ServiceContext } from '@lading/service-kit';

/** Serves `publish` over NATS. The caller acts as `principal`: NATS permissions decide who may send one. */
export function servePublish(context: ServiceContext, publisher: BundlePublisher, principal: string): void {
  serveEndpoint(
    context.service,
    endpoints.publish,
    async ({ bundle, tag, force }) => {
      try {
        const published = await publisher.publish({ bundle, tag, force, principal });
        context.counters.increment(`publish_${published.outcome}`);
        return published;
      } catch (error) {
        if (error instanceof PublishRefusedError) throw new ServiceFailure('invalid_request', error.message);
        if (error instanceof TagConflictError || error instanceof TagDriftError) {
          context.counters.increment('publish_refused');
          throw new ServiceFailure('conflict', error.message);
        }
        if (error instanceof ForceNotAllowedError) throw new ServiceFailure('forbidden', error.message);
        if (error instanceof OciError) {
          throw new ServiceFailure(error.code === 'BAD_REFERENCE' ? 'invalid_request' : 'upstream_failed', error.message);
        }
        throw error;
      }
    },
    context.logger,
  );
}
