import { endpoints } from '@lading/contracts';
import { CnabValidationError, validateBundle } from '@lading/cnab';
import { ForceNotAllowedError, TagConflictError, type TagLedger } from '@lading/guard';
import { OciError, parseReference, prepareBundleIndex, type RegistryClient } from '@lading/oci';
import { serveEndpoint, ServiceFailure, type ServiceContext } from '@lading/service-kit';
import { ImageRelocator } from './bring-image.js';
import { retryTransient } from './upstream-retry.js';

export interface PublishWiring {
  ledger: TagLedger;
  /** Client of the upstream registry the guard fronts. */
  upstream: RegistryClient;
  /** host:port users know the front door by; bundle references name it. */
  publicHost: string;
  /** Who a NATS publish request acts as (NATS permissions decide who may send one). */
  principal: string;
}

function refuse(message: string, code: 'invalid_request' | 'conflict' | 'forbidden' | 'upstream_failed' = 'invalid_request'): never {
  throw new ServiceFailure(code, message);
}

/**
 * Serves `publish`: bundle.json becomes a CNAB-in-OCI index in the tag's repository, the
 * invocation image and every referenced image are brought into that repository by digest, and
 * the tag is written through the ledger, the same race-free rule the HTTP front door obeys.
 */
export function servePublish(context: ServiceContext, wiring: PublishWiring): void {
  const relocator = new ImageRelocator(wiring.upstream);
  serveEndpoint(
    context.service,
    endpoints.publish,
    async ({ bundle: document, tag: tagReference, force }) => {
      const target = parseReference(tagReference);
      if (!target.tag || target.digest) refuse(`${tagReference} must be a tag reference (<registry>/<repository>:<tag>)`);
      if (target.registry !== wiring.publicHost) refuse(`this guard publishes to ${wiring.publicHost}, not ${target.registry}`);
      let bundle;
      try {
        bundle = validateBundle(document);
      } catch (error) {
        if (error instanceof CnabValidationError) refuse(error.message);
        throw error;
      }
      const repository = target.repository;
      try {
        const invocation = parseReference(bundle.invocationImages[0]?.image ?? '');
        if (!invocation.digest || invocation.registry !== wiring.publicHost) {
          refuse(`the invocation image must be a digest reference in ${wiring.publicHost}`);
        }
        const invocationHead = await relocator.bring(invocation.repository, invocation.digest as string, repository);
        for (const [name, image] of Object.entries(bundle.images ?? {})) {
          const referenced = parseReference(image.image);
          if (!referenced.digest) refuse(`images.${name} is not pinned by digest: rebuild the bundle`);
          if (referenced.registry === wiring.publicHost && referenced.repository !== repository) {
            await relocator.bring(referenced.repository, referenced.digest as string, repository);
          }
        }
        const index = await retryTransient(() =>
          prepareBundleIndex(wiring.upstream, repository, bundle as unknown as Record<string, unknown>, invocationHead),
        );
        const written = await wiring.ledger.writeTag({
          repository,
          tag: target.tag as string,
          digest: index.digest,
          principal: wiring.principal,
          force,
          upstream: {
            headTag: async (repo, tag) => (await wiring.upstream.headManifest(repo, tag))?.digest,
            putManifest: async () => {
              await wiring.upstream.putManifest(repository, target.tag as string, index.mediaType, index.body);
            },
          },
        });
        context.counters.increment(`publish_${written.outcome}`);
        return {
          tag: tagReference,
          digest: index.digest,
          reference: `${wiring.publicHost}/${repository}@${index.digest}`,
          outcome: written.outcome,
          previousDigest: written.previousDigest,
        };
      } catch (error) {
        if (error instanceof TagConflictError) {
          context.counters.increment('publish_refused');
          refuse(error.message, 'conflict');
        }
        if (error instanceof ForceNotAllowedError) refuse(error.message, 'forbidden');
        if (error instanceof OciError) refuse(error.message, 'upstream_failed');
        throw error;
      }
    },
    context.logger,
  );
}
