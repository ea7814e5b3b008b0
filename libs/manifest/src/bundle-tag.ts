import type { Manifest } from './types.js';

/** `<registry>/<name>:v<version>`, as Porter tags bundles. */
export function bundleTag(manifest: Pick<Manifest, 'registry' | 'name' | 'version'>): string {
  // Tags cannot hold "+": build metadata is written with "_" as Porter does.
  return `${manifest.registry}/${manifest.name}:v${manifest.version.replace(/\+/g, '_')}`;
}
