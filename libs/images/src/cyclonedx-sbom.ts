import { canonicalJson } from '@lading/oci';

/** One thing inside an image, as the SBOM names it. */
export interface SbomComponent {
  type: 'library' | 'application';
  name: string;
  version: string;
  purl: string;
  /** sha256 hex of what was installed (the .deb), when known. */
  sha256?: string;
  licenses?: string[];
}

export const debianComponent = (pkg: { name: string; version: string; architecture: string; sha256: string }): SbomComponent => ({
  type: 'library',
  name: pkg.name,
  version: pkg.version,
  purl: `pkg:deb/debian/${pkg.name}@${encodeURIComponent(pkg.version)}?arch=${pkg.architecture}&distro=debian-12`,
  sha256: pkg.sha256,
});

export const npmComponent = (pkg: { name: string; version: string; license?: string }): SbomComponent => ({
  type: 'library',
  name: pkg.name,
  version: pkg.version,
  purl: `pkg:npm/${pkg.name.replace(/^@/, '%40')}@${pkg.version}`,
  licenses: pkg.license ? [pkg.license] : undefined,
});

/**
 * A CycloneDX 1.5 document of an image: no timestamp and no random serial number, components
 * sorted by purl, so the same contents always give the same bytes (and the same digest on the
 * image's label).
 */
export function cycloneDxSbom(image: { name: string; version: string }, components: readonly SbomComponent[]): Buffer {
  const sorted = [...components].sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0));
  const document = {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    version: 1,
    metadata: {
      component: { type: 'container', name: image.name, version: image.version, 'bom-ref': `${image.name}:${image.version}` },
      tools: { components: [{ type: 'application', name: 'lading images', version: image.version }] },
    },
    components: sorted.map((component) => ({
      type: component.type,
      'bom-ref': component.purl,
      name: component.name,
      version: component.version,
      purl: component.purl,
      hashes: component.sha256 ? [{ alg: 'SHA-256', content: component.sha256 }] : undefined,
      licenses: component.licenses?.map((name) => ({ license: { name } })),
    })),
  };
  return Buffer.from(`${JSON.stringify(JSON.parse(canonicalJson(document)), null, 2)}\n`);
}
