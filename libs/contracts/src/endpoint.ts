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
