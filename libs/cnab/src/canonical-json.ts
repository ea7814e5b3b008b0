import { createHash } from 'node:crypto';
import type { Bundle } from '@lading/contracts';

function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : canonicalize(item)));
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) sorted[key] = canonicalize(item);
    }
    return sorted;
  }
  return value;
}

/** JSON with object keys sorted and no whitespace: the same document always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value));
}

/** `sha256:<hex>` of the bundle's canonical JSON: the digest of the bundle.json blob Lading pushes. */
export function bundleDigest(bundle: Bundle): string {
  return `sha256:${createHash('sha256').update(canonicalJson(bundle), 'utf8').digest('hex')}`;
}
