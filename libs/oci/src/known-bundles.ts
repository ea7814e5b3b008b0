import { isDigest } from '@lading/contracts/reference-grammar';
import { readBundleDocuments, requireInvocationImage } from './cnab-bundle.js';
import { OciError } from './errors.js';
import type { RegistryClient } from './registry-client.js';
import type { PulledBundle } from './types.js';

/** How many bundles' documents one process keeps; the oldest read goes first. */
const defaultLimit = 64;

/**
 * Bundles pulled by digest, whose documents (index, config manifest, bundle.json) are kept once
 * read and checked: a digest names content that never changes, so a later read would return the
 * same bytes. What can change is asked again on every pull: that the invocation image is still
 * in the repository (`documents` leaves that to the runner, which pulls before it starts
 * anything). Each caller gets its own copy of bundle.json, so no run sees another's edits.
 */
export class KnownBundles {
  private readonly known = new Map<string, PulledBundle>();

  constructor(
    private readonly client: RegistryClient,
    private readonly limit = defaultLimit,
  ) {}

  /**
   * The bundle's documents, read once and then kept: what a caller needs that only decides from
   * bundle.json (the broker admitting a run). Whether the invocation image is still there is not asked.
   */
  async documents(repository: string, digest: string): Promise<PulledBundle> {
    const documents = await this.kept(repository, digest);
    return { ...documents, bundle: structuredClone(documents.bundle) };
  }

  /** The bundle's documents, and the invocation image asked for in the repository on every call: what a run starts from. */
  async pull(repository: string, digest: string): Promise<PulledBundle> {
    const documents = await this.kept(repository, digest);
    await requireInvocationImage(this.client, repository, digest, documents);
    return { ...documents, bundle: structuredClone(documents.bundle) };
  }

  private async kept(repository: string, digest: string): Promise<PulledBundle> {
    if (!isDigest(digest)) {
      throw new OciError(`${this.client.registry}/${repository}:${digest} is not a reference by digest: only bundles named by digest are kept.`, { registry: this.client.registry, repository, reason: 'BAD_REFERENCE' });
    }
    const key = `${repository}@${digest}`;
    let documents = this.known.get(key);
    if (!documents) {
      documents = await readBundleDocuments(this.client, repository, digest);
      if (this.known.size >= this.limit) this.known.delete(this.known.keys().next().value as string);
      this.known.set(key, documents);
    }
    return documents;
  }
}
