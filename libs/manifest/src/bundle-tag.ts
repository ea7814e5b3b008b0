import type { Manifest } from './types.js';

/** `<registry>/<name>:v<version>`, as Porter tags bundles, unless the manifest names its reference. */
export function bundleTag(manifest: Pick<Manifest, 'registry' | 'name' | 'version' | 'reference'>): string {
  if (manifest.reference !== undefined) return manifest.reference;
  // Tags cannot hold "+": build metadata is written with "_" as Porter does.
  return `${manifest.registry}/${manifest.name}:v${manifest.version.replace(/\+/g, '_')}`;
}
