import { SourceError } from './errors.js';
import { resolveValue } from './resolve-value.js';
import type { ResolveSetOptions, ValueSetDocument } from './types.js';

/**
 * Resolves the entries of a CNAB credential or parameter set to their values, by entry name.
 * With `names`, only those entries are resolved (names the set lacks are simply absent from
 * the result: whether they are required is the caller's rule).
 */
export async function resolveSet(document: ValueSetDocument, options: ResolveSetOptions): Promise<Map<string, Buffer>> {
  const entries = document.credentials ?? document.parameters;
  if (!Array.isArray(entries)) {
    throw new SourceError(options.setLabel, '*', 'set', 'the document has neither a credentials nor a parameters list');
  }
  const wanted = options.names ? new Set(options.names) : undefined;
  const seen = new Set<string>();
  const values = new Map<string, Buffer>();
  for (const entry of entries) {
    const name = typeof entry?.name === 'string' ? entry.name : undefined;
    if (!name) throw new SourceError(options.setLabel, '?', 'set', 'an entry has no name');
    if (seen.has(name)) throw new SourceError(options.setLabel, name, 'set', 'the entry appears more than once');
    seen.add(name);
    if (wanted && !wanted.has(name)) continue;
    values.set(
      name,
      await resolveValue(entry.source, {
        setLabel: options.setLabel,
        entryName: name,
        env: options.env,
        store: options.store,
        commandTimeoutMs: options.commandTimeoutMs,
        cwd: options.cwd,
      }),
    );
  }
  return values;
}
