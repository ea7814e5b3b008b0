import { isDigest } from '@lading/contracts/reference-grammar';

/**
 * The one description of a Lading bundle archive: an OCI image layout in a tar, every entry
 * with the same owner, mode and time wherever and whenever it is written, in sorted order, so
 * that the same bundle digest always gives the same bytes.
 */
export const archiveEntry = {
  /** 2000-01-01T00:00:00Z: a fixed time, not the epoch (some tools read 0 as "unset"). */
  mtime: new Date(Date.UTC(2000, 0, 1)),
  uid: 0,
  gid: 0,
  uname: '',
  gname: '',
  fileMode: 0o644,
  directoryMode: 0o755,
} as const;

export type ArchiveCompression = 'gzip' | 'none';
export const archiveCompressions: readonly ArchiveCompression[] = ['gzip', 'none'];

/** zlib level for gzip archives; Node writes no name and a zero mtime in the gzip header, so the stream is reproducible. */
export const archiveGzipLevel = 9;

export const layoutFile = 'oci-layout';
export const layoutIndexFile = 'index.json';
export const layoutMarker = { imageLayoutVersion: '1.0.0' } as const;

const blobDirectory = 'blobs/sha256/';

/** The digest a layout blob path names (`blobs/sha256/<hex>`), or undefined for any other path. */
export function layoutBlobDigest(path: string): string | undefined {
  if (!path.startsWith(blobDirectory)) return undefined;
  const digest = `sha256:${path.slice(blobDirectory.length)}`;
  return isDigest(digest) ? digest : undefined;
}

/** `blobs/sha256/<hex>` of a digest already checked to be sha256:<64 hex>. */
export function layoutBlobPath(digest: string): string {
  return `${blobDirectory}${digest.slice('sha256:'.length)}`;
}
