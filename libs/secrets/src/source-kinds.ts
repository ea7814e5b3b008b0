/** The kinds of a CNAB value-mapping source; an entry names exactly one. */
export const sourceKinds = ['secret', 'env', 'path', 'command', 'value'] as const;
export type SourceKind = (typeof sourceKinds)[number];

/**
 * Kinds the caller's machine resolves when it asks for a run, as Porter does: the broker never
 * reads a path, runs a command or reads an environment variable a set names.
 */
export const callerResolvedKinds: readonly SourceKind[] = ['env', 'path', 'command'];

/** The one kind a source names, or undefined when it names none, several or one not in `sourceKinds`. */
export function sourceKindOf(source: object | null | undefined): SourceKind | undefined {
  const keys = Object.keys(source ?? {});
  return keys.length === 1 && (sourceKinds as readonly string[]).includes(keys[0]) ? (keys[0] as SourceKind) : undefined;
}

export function isCallerResolved(source: object | null | undefined): boolean {
  const kind = sourceKindOf(source);
  return kind !== undefined && callerResolvedKinds.includes(kind);
}

/** How a set is named in every message: `credential set "team-a/aws"`. */
export function describeSet(kind: 'credentials' | 'parameters', set: { namespace: string; name: string }): string {
  return `${kind === 'credentials' ? 'credential' : 'parameter'} set "${set.namespace ? `${set.namespace}/` : ''}${set.name}"`;
}
