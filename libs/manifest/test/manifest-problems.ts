import { expect } from 'vitest';
import { ManifestError, parseManifest } from '../src/index.js';

/** Each problem the reader reports for a manifest it refuses (file:line:col first); a manifest it accepts fails the test. */
export function problems(text: string, file = 'porter.yaml'): string[] {
  try {
    parseManifest(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError);
    return (error as ManifestError).problems.map((p) => p.text);
  }
  throw new Error('expected the manifest to be refused');
}
