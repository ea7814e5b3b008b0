import type { Service, ServiceMsg } from '@nats-io/services';
import type { MsgHdrs } from '@nats-io/nats-core';
import type { z } from 'zod';
import type { Endpoint } from '@lading/contracts';
import { extractTraceContext, instruments, messagingAttributes, secondsSince, SpanKind, withSpan, type Span } from '@lading/telemetry';
import { describeZodIssues, replyErrorFor } from './reply-error.js';
import { headerCarrier } from './headers.js';
import type { Logger } from './types.js';
import { callerOf, processPrincipalDirectory, type Caller, type PrincipalDirectory } from './principals/index.js';

export type EndpointHandler<Req extends z.ZodTypeAny, Rep extends z.ZodTypeAny> = (
  request: z.output<Req>,
  context: EndpointContext,
) => Promise<z.input<Rep>>;

export interface EndpointContext {
  subject: string;
  headers?: MsgHdrs;
  /** The principal the request was made for, vouched for by nats-server; none for a service user. */
  caller?: Caller;
}

/**
 * Serves one contract endpoint on a NATS service: the request is validated before the handler
 * sees it, the handler runs in a span that continues the caller's trace, and the answer is the
 * `{ ok, value | error }` envelope. Unexpected errors are logged and answered as `internal`.
 */
export function serveEndpoint<Req extends z.ZodTypeAny, Rep extends z.ZodTypeAny>(
  service: Service,
  endpoint: Endpoint<Req, Rep>,
  handler: EndpointHandler<Req, Rep>,
  logger: Logger,
  directory: PrincipalDirectory = processPrincipalDirectory(),
): void {
  const name = endpoint.subject.split('.').slice(1).join('-');
  service.addEndpoint(name, {
    subject: endpoint.subject,
    handler: (error, message) => {
      if (error) {
        logger.error('endpoint stopped', { subject: endpoint.subject, error: error.message });
        return;
      }
      void answer(message);
    },
  });

  async function answer(message: ServiceMsg): Promise<void> {
    const parent = extractTraceContext(headerCarrier(message.headers));
    const started = performance.now();
    let outcome = 'ok';
    const respond = (span: Span, reply: string, code?: string) => {
      if (code) {
        outcome = code;
        span.setAttribute('error.type', code);
      }
      message.respond(reply);
    };
    await withSpan(
      'lading',
      `process ${endpoint.subject}`,
      messagingAttributes(endpoint.subject, 'process', message.data.length),
      async (span) => {
        let decoded: unknown;
        try {
          decoded = message.json();
        } catch {
          respond(span, JSON.stringify({ ok: false, error: { code: 'invalid_request', message: 'the request is not JSON' } }), 'invalid_request');
          return;
        }
        try {
          const request = endpoint.request.parse(decoded);
          const caller = callerOf(message.headers, directory);
          const answered = endpoint.reply.safeParse(await handler(request, { subject: message.subject, headers: message.headers, caller }));
          // A reply that breaks its own contract is this service's fault, never the caller's.
          if (!answered.success) throw new Error(`the reply breaks its contract: ${describeZodIssues(answered.error)}`);
          respond(span, JSON.stringify({ ok: true, value: answered.data }));
        } catch (failure) {
          const error = replyErrorFor(failure, endpoint.subject);
          if (error.code === 'internal') {
            logger.error('request failed', { subject: endpoint.subject, error: failure instanceof Error ? failure.message : String(failure) });
          }
          respond(span, JSON.stringify({ ok: false, error }), error.code);
        }
      },
      parent,
      { kind: SpanKind.CONSUMER },
    );
    instruments().endpointDuration.record(secondsSince(started), { 'messaging.destination.name': endpoint.subject, outcome });
  }
}
