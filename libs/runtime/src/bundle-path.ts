import { RuntimeError } from './errors.js';

/**
 * Returns the canonical relative form of an archive path, or throws when it could land outside
 * the directory it is unpacked into. Paths come from users, so every trick is refused rather
 * than repaired: absolute paths, `..`, backslashes, drive letters, control characters.
 */
export function safeRelativePath(raw: string): string {
  const fail = (why: string): never => {
    throw new RuntimeError('invalid-bundle-context', `Bundle archive entry ${JSON.stringify(raw)} ${why}: rebuild the archive with \`lading build\`.`);
  };
  if (raw.length === 0) fail('has an empty path');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) fail('contains control characters');
  if (raw.includes('\\')) fail('contains a backslash');
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) fail('is an absolute path');
  const segments = raw.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) fail('contains a ".." segment');
  if (segments.length === 0) fail('names no file');
  return segments.join('/');
}

export function normalizeFileMode(mode: number | undefined): number {
  return (mode ?? 0o644) & 0o111 ? 0o755 : 0o644;
}
