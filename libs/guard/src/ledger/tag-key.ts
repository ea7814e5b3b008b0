/** KV keys allow few characters; base64url of `repository:tag` is safe and reversible. */
export function tagKey(repository: string, tag: string): string {
  return Buffer.from(`${repository}:${tag}`, 'utf8').toString('base64url');
}

export function parseTagKey(key: string): { repository: string; tag: string } | undefined {
  const decoded = Buffer.from(key, 'base64url').toString('utf8');
  const colon = decoded.lastIndexOf(':');
  if (colon <= 0) return undefined;
  return { repository: decoded.slice(0, colon), tag: decoded.slice(colon + 1) };
}
