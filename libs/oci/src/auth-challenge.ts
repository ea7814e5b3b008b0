export interface AuthChallenge {
  /** Lowercased scheme, e.g. `bearer` or `basic`. */
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

/** Parses one `WWW-Authenticate` value; quoted values may hold commas (`scope="repository:a:pull,push"`). */
export function parseChallenge(header: string): AuthChallenge | undefined {
  const match = /^\s*([A-Za-z][A-Za-z0-9._-]*)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const pairs = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (const pair of match[2].matchAll(pairs)) {
    params[pair[1].toLowerCase()] = pair[2] !== undefined ? pair[2].replace(/\\(.)/g, '$1') : pair[3];
  }
  return { scheme: match[1].toLowerCase(), params };
}
