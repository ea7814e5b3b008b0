import { CnabValidationError, validateBundle } from '@lading/cnab';
import { withSpan } from '@lading/telemetry';
import { AllowedRegistries, OciError, parseReference, prepareBundleIndex, type ManifestHead, type RegistryClient } from '@lading/oci';
import { ImageRelocator } from './image-relocator.js';
import { repositoryRefusal } from '../rules/registry-access.js';
import type { TagLedger } from '../ledger/tag-ledger.js';
import { retryTransient } from '../upstream/upstream-retry.js';
import type { WriteTagOutcome } from '../ledger/ledger-types.js';
import { CodedError } from '@lading/contracts/errors';

/** The caller may not publish there: the repository is outside its namespaces. */
export class PublishForbiddenError extends CodedError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** A publish that cannot be done as asked; the message says what to change. */
export class PublishRefusedError extends CodedError {
  constructor(message: string) {
    super('invalid_request', message);
  }
}

export interface PublishBundleRequest {
  /** As it came off the wire: validated against the CNAB bundle schema here, before anything is copied. */
  bundle: unknown;
  /** `<registry>/<repository>:<tag>` in the registry this guard fronts. */
  tag: string;
  force: boolean;
  /** Who publishes, as nats-server vouched for it, and the namespaces it holds (`*`: every one). */
  principal: string;
  namespaces: readonly string[];
}

export interface PublishedBundle {
  tag: string;
  digest: string;
  /** `<registry>/<repository>@<digest>`: what installs use. */
  reference: string;
  outcome: WriteTagOutcome;
  previousDigest?: string;
}

/**
 * Publishes bundle.json as CNAB-in-OCI: the invocation image and every referenced image — from
 * this registry or any other the operator allows — are brought into the bundle's repository by
 * digest (so the bundle carries its artifacts, and runs never reach another registry), the index
 * lists them by name and digest (the relocation mapping is rendered from it wherever the bundle
 * is), the index is stored by digest, and the tag is written through the ledger — the
 * same race-free rule the HTTP front door obeys. Ledger refusals (TagConflictError,
 * ForceNotAllowedError) and registry failures (OciError) pass through to the caller.
 */
export class BundlePublisher {
  private readonly relocator: ImageRelocator;

  constructor(
    private readonly ledger: TagLedger,
    private readonly upstream: RegistryClient,
    /** host:port users know the front door by; bundle references name it. */
    private readonly publicHost: string,
    /** Registries referenced images may be copied from; the front door (read through the upstream) alone by default. */
    private readonly sources: AllowedRegistries = new AllowedRegistries(publicHost),
  ) {
    this.relocator = new ImageRelocator(upstream);
  }

  async publish(request: PublishBundleRequest): Promise<PublishedBundle> {
    const target = parseReference(request.tag);
    if (!target.tag || target.digest) throw new PublishRefusedError(`${request.tag} must be a tag reference (<registry>/<repository>:<tag>)`);
    if (target.registry !== this.publicHost) throw new PublishRefusedError(`this guard publishes to ${this.publicHost}, not ${target.registry}`);
    // Decided before anything is copied into the repository.
    const refused = repositoryRefusal(request.principal, request.namespaces, target.repository);
    if (refused) throw new PublishForbiddenError(refused);
    if (request.force) this.ledger.assertMayForce(request.principal);
    let bundle;
    try {
      bundle = validateBundle(request.bundle);
    } catch (error) {
      if (error instanceof CnabValidationError) throw new PublishRefusedError(error.message);
      throw error;
    }
    const { repository, tag } = target;
    const invocation = parseReference(bundle.invocationImages[0]?.image ?? '');
    if (!invocation.digest || invocation.registry !== this.publicHost) {
      throw new PublishRefusedError(`the invocation image must be a digest reference in ${this.publicHost}`);
    }
    const invocationDigest = invocation.digest;
    const invocationHead = await withSpan('lading', 'image copy', { 'lading.image.field': 'invocationImage' }, () =>
      this.relocator.bring(invocation.repository, invocationDigest, repository),
    );
    const components: Record<string, ManifestHead> = {};
    for (const [name, image] of Object.entries(bundle.images ?? {})) components[name] = await this.bringReferenced(`images.${name}`, image.image, repository);
    const index = await withSpan('lading', 'index prepare', {}, () =>
      retryTransient(() => prepareBundleIndex(this.upstream, repository, bundle, invocationHead, { components })),
    );
    const written = await withSpan('lading', 'ledger decision', { 'lading.force': request.force === true }, async (span) => {
      const decision = await this.ledger.writeTag({
        repository,
        tag,
        digest: index.digest,
        principal: request.principal,
        force: request.force,
        upstream: {
          // A read, so safe to repeat: docker-registry can answer 500 while another writer rewrites the tag.
          headTag: async (repo, ref) => (await retryTransient(() => this.upstream.headManifest(repo, ref)))?.digest,
          putManifest: () =>
            withSpan('lading', 'index write', {}, async () => {
              await this.upstream.putManifest(repository, tag, index.mediaType, index.body);
            }),
        },
      });
      span.setAttribute('lading.ledger.outcome', decision.outcome);
      return decision;
    });
    return {
      tag: request.tag,
      digest: index.digest,
      reference: `${this.publicHost}/${repository}@${index.digest}`,
      outcome: written.outcome,
      previousDigest: written.previousDigest,
    };
  }

  /**
   * Copies one referenced image into the bundle's repository by digest, or refuses the publish
   * naming it: an image that cannot travel with the bundle is never left behind silently.
   */
  private async bringReferenced(what: string, image: string, repository: string): Promise<ManifestHead> {
    const referenced = parseReference(image);
    const digest = referenced.digest;
    if (!digest) throw new PublishRefusedError(`${what} is not pinned by digest: rebuild the bundle`);
    try {
      const from = referenced.registry === this.publicHost ? this.upstream : this.sources.clientFor(referenced.registry, `${what} ${image}`);
      return await withSpan('lading', 'image copy', { 'lading.image.field': what }, () => this.relocator.bring(referenced.repository, digest, repository, from));
    } catch (error) {
      if (!(error instanceof OciError)) throw error;
      if (error.reason === 'REGISTRY_NOT_ALLOWED') throw new PublishRefusedError(`${error.message.replace(/\.$/, '')}, so it cannot be copied into the bundle's repository`);
      throw new OciError(`${what} ${image} could not be copied into ${this.publicHost}/${repository}: ${error.message}`, error, { cause: error });
    }
  }
}
