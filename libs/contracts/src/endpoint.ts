import type { z } from 'zod';

/** One request/reply endpoint: its subject and the shapes validated on both sides of the wire. */
export interface Endpoint<Req extends z.ZodTypeAny, Rep extends z.ZodTypeAny> {
  readonly subject: string;
  readonly request: Req;
  readonly reply: Rep;
}

export function endpoint<Req extends z.ZodTypeAny, Rep extends z.ZodTypeAny>(
  subject: string,
  request: Req,
  reply: Rep,
): Endpoint<Req, Rep> {
  return { subject, request, reply };
}

export type RequestOf<E> = E extends Endpoint<infer Req, z.ZodTypeAny> ? z.input<Req> : never;
export type ParsedRequestOf<E> = E extends Endpoint<infer Req, z.ZodTypeAny> ? z.output<Req> : never;
export type ReplyOf<E> = E extends Endpoint<z.ZodTypeAny, infer Rep> ? z.output<Rep> : never;
