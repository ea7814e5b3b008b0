import { z } from 'zod';
import { errorCodes } from './errors/index.js';

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
