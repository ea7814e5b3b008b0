import { z } from 'zod';

/** Error codes a service may answer with; the CLI maps each to a one-sentence message. */
export const errorCodes = [
  'invalid_request',
  'not_found',
  'conflict',
  /** The installation is running another action: try again once it has finished (`--wait`). */
  'busy',
  'forbidden',
  'unresolvable',
  'build_failed',
  'upstream_failed',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const replyErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
});
export type ReplyError = z.infer<typeof replyErrorSchema>;

/** Every request/reply answer is `{ ok: true, value }` or `{ ok: false, error }`. */
export function replySchema<T extends z.ZodTypeAny>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: replyErrorSchema }),
  ]);
}
