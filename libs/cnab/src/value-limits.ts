/**
 * How large a value and how deep a document may be. A value travels sealed in one NATS message
 * (the lease, the secret store request), so it is bounded well under the server's payload
 * limit; an environment variable is bounded by Linux, which refuses to start a process with a
 * single environment string over 128 KiB; documents nested deeper than any real set or bundle
 * would exhaust the stack of every service that reads them.
 */
export const valueLimits = {
  /** The largest credential, parameter or secret value, in bytes. */
  valueBytes: 1024 * 1024,
  /** The largest value delivered in an environment variable, in bytes (room left for its name). */
  envValueBytes: 120 * 1024,
  /** The deepest nesting of objects and arrays in a document. */
  nestingDepth: 64,
} as const;

const size = (bytes: number): string => (bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`);

/**
 * Why a value of `what` (e.g. `parameter region`) cannot be delivered, or undefined when it fits:
 * one sentence naming the limit.
 */
export function valueSizeProblem(what: string, value: string | Uint8Array, deliveredInEnv: boolean): string | undefined {
  const bytes = typeof value === 'string' ? Buffer.byteLength(value) : value.length;
  if (bytes > valueLimits.valueBytes) return `${what} is ${bytes} bytes: a value may be at most ${size(valueLimits.valueBytes)}`;
  if (deliveredInEnv && bytes > valueLimits.envValueBytes) {
    return `${what} is ${bytes} bytes: a value delivered in an environment variable may be at most ${size(valueLimits.envValueBytes)}; deliver it as a file (path) instead`;
  }
  return undefined;
}

/** Whether `document` nests objects and arrays deeper than the limit; walks without recursion. */
export function nestsTooDeep(document: unknown): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value: document, depth: 0 }];
  while (pending.length > 0) {
    const { value, depth } = pending.pop() as { value: unknown; depth: number };
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= valueLimits.nestingDepth) return true;
    for (const child of Object.values(value)) pending.push({ value: child, depth: depth + 1 });
  }
  return false;
}

/** The sentence for a document that nests too deeply. */
export const nestingProblem = `nests objects or arrays deeper than ${valueLimits.nestingDepth} levels`;
