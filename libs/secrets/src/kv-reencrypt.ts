import type { KV } from '@nats-io/kv';
import { CodedError } from '@lading/contracts/errors';

const WRONG_LAST_SEQUENCE = new Set([10071, 10164]);
const MAX_ATTEMPTS = 20;

export function isRevisionConflict(error: unknown): boolean {
  return WRONG_LAST_SEQUENCE.has((error as { code?: number } | undefined)?.code ?? -1);
}

/**
 * Rewrites one key with compare-and-set: read, transform, write only if nobody wrote in
 * between; on a conflict read again, so a concurrent write is transformed rather than lost.
 * `transform` returns undefined when the current bytes need no change.
 */
export async function rewriteKeyWithCas(
  kv: KV,
  key: string,
  transform: (current: Uint8Array) => Uint8Array | undefined | Promise<Uint8Array | undefined>,
): Promise<'rewritten' | 'unchanged' | 'gone'> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const entry = await kv.get(key);
    if (!entry || entry.operation !== 'PUT') return 'gone';
    const next = await transform(entry.value);
    if (next === undefined) return 'unchanged';
    try {
      await kv.update(key, next, entry.revision);
      return 'rewritten';
    } catch (error) {
      if (!isRevisionConflict(error)) throw error;
    }
  }
  throw new CodedError('busy', `Key ${key} kept changing during ${MAX_ATTEMPTS} rewrite attempts: retry the rotation`);
}
