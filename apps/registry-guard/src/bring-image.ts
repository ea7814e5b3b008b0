import { copyImage, OciError, type ManifestHead, type RegistryClient } from '@lading/oci';
import { retryTransient } from './upstream-retry.js';

/**
 * Makes an image available by digest in the bundle's repository. What is already there is left
 * untouched: concurrent publishers of one repository then do not rewrite the same manifests.
 */
export function bringImage(upstream: RegistryClient, fromRepo: string, digest: string, toRepo: string): Promise<ManifestHead> {
  return retryTransient(async () => {
    const present = await upstream.headManifest(toRepo, digest);
    if (present) return present;
    if (fromRepo === toRepo) {
      throw new OciError(`${upstream.registry}/${toRepo}@${digest} does not exist; build and push the bundle again`, {
        registry: upstream.registry,
        repository: toRepo,
        code: 'MANIFEST_UNKNOWN',
      });
    }
    return copyImage(upstream, { fromRepo, digest }, toRepo);
  });
}
