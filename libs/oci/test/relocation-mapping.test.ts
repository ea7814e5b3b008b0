import { describe, expect, it } from 'vitest';
import { OciError, relocatedBundleImage, relocationMapping } from '../src/internal.js';

const digestA = `sha256:${'a'.repeat(64)}`;
const digestB = `sha256:${'b'.repeat(64)}`;
const bundle = {
  invocationImages: [{ image: `127.0.0.1:5000/bundles/hello@${digestA}`, imageType: 'docker' }],
  images: { db: { image: `registry.example:443/library/postgres@${digestB}`, imageType: 'docker' } },
};
const location = { registry: 'air.gap:5000', repository: 'moved/hello' };

describe('relocation mapping', () => {
  it('maps each image bundle.json names to the bundle repository, keeping its digest', () => {
    expect(relocationMapping(bundle, location)).toEqual({
      [`127.0.0.1:5000/bundles/hello@${digestA}`]: `air.gap:5000/moved/hello@${digestA}`,
      [`registry.example:443/library/postgres@${digestB}`]: `air.gap:5000/moved/hello@${digestB}`,
    });
  });

  it('gives the repository and digest bundle.images.NAME renders', () => {
    expect(relocatedBundleImage(bundle, 'db', location)).toMatchObject({ repository: 'air.gap:5000/moved/hello', digest: digestB, reference: `air.gap:5000/moved/hello@${digestB}` });
  });

  it('refuses an image pinned by tag only, and an unknown name, in one sentence each', () => {
    const tagged = { ...bundle, images: { db: { image: 'registry.example/library/postgres:16' } } };
    expect(() => relocationMapping(tagged, location)).toThrow(/^The bundle's images\.db registry\.example\/library\/postgres:16 is not pinned by digest, so it cannot be relocated; rebuild the bundle\.$/);
    expect(() => relocatedBundleImage(bundle, 'cache', location)).toThrow(OciError);
    expect(() => relocatedBundleImage(bundle, 'cache', location)).toThrow('The bundle has no image named cache.');
    // Nor one named like what every object lends from its prototype.
    expect(() => relocatedBundleImage(bundle, 'constructor', location)).toThrow('The bundle has no image named constructor.');
  });
});
