import { copyImage, OciError, type ManifestHead, type RegistryClient } from '@lading/oci';
import { retryTransient } from '../upstream/upstream-retry.js';

/**
 * Makes images available by digest in a bundle's repository. What is already there is left
 * untouched, and concurrent publishes in this guard that need the same image share one copy:
 * the upstream is not asked to rewrite one manifest many times at once.
 */
export class ImageRelocator {
  private readonly inFlight = new Map<string, Promise<ManifestHead>>();

  constructor(private readonly upstream: RegistryClient) {}

  /** `from` is the registry the image is in: the upstream itself when omitted. */
  bring(fromRepo: string, digest: string, toRepo: string, from: RegistryClient = this.upstream): Promise<ManifestHead> {
    const key = `${toRepo}@${digest}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const started = retryTransient(() => this.bringOnce(from, fromRepo, digest, toRepo)).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }

  private async bringOnce(from: RegistryClient, fromRepo: string, digest: string, toRepo: string): Promise<ManifestHead> {
    const present = await this.upstream.headManifest(toRepo, digest);
    if (present) return present;
    if (from === this.upstream && fromRepo === toRepo) {
      throw new OciError(`${this.upstream.registry}/${toRepo}@${digest} does not exist; build and push the bundle again`, {
        registry: this.upstream.registry,
        repository: toRepo,
        reason: 'MANIFEST_UNKNOWN',
      });
    }
    return copyImage(this.upstream, { from, fromRepo, digest }, toRepo);
  }
}
