/**
 * KV keys allow only [-/_=.a-zA-Z0-9]. Names are validated to that alphabet at the edge; the
 * empty namespace gets a placeholder so keys keep a fixed number of tokens.
 */
export function namespacedKey(namespace: string, name: string): string {
  return `${namespace || '_'}.${name}`;
}

export function namespaceFilter(namespace: string | undefined): string {
  return namespace === undefined ? '>' : `${namespace || '_'}.*`;
}
