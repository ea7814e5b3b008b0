import { writeImageLayout } from '@lading/oci';
import { rootfsLayer, type RootfsLayerOptions } from './rootfs-layer.js';
import { rootfsRecipes } from './rootfs-recipes.js';

/**
 * The default base of bundles as an OCI layout: one reproducible layer from Debian's packages and
 * Debian's own PATH. It runs as root like debian:bookworm-slim, so an invocation image's
 * Dockerfile steps can set files up; bundles themselves always run as 65532.
 */
export async function debianBaseLayout(dir: string, options: RootfsLayerOptions): Promise<{ dir: string; digest: string }> {
  const layer = await rootfsLayer(rootfsRecipes.bundleBase, options);
  const written = await writeImageLayout(dir, {
    layers: [layer.file],
    refName: 'bookworm-slim',
    config: {
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      cmd: ['bash'],
      labels: { 'org.opencontainers.image.description': `Debian bookworm: ${layer.packages.map((pkg) => `${pkg.name} ${pkg.version}`).join(', ')}` },
    },
  });
  return { dir, digest: written.manifest.digest };
}
