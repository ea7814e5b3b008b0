import { errors, type MsgHdrs, type NatsConnection } from '@nats-io/nats-core';
import { z } from 'zod';
import { replySchema, type Endpoint } from '@lading/contracts';
import { injectTraceContext, instruments, messagingAttributes, secondsSince, SpanKind, withSpan } from '@lading/telemetry';
import { RemoteFailure } from './failure.js';
import { headerCarrier } from './headers.js';

/** Every reply's envelope, built once: the value inside is checked against the endpoint's own schema. */
const envelopeSchema = replySchema(z.unknown());

export interface CallOptions {
  timeoutMs?: number;
}

/**
 * Calls a contract endpoint: validates what is sent and what comes back, carries the trace
 * context in headers, and raises the service's error as a `RemoteFailure`.
 */
export async function callEndpoint<Req extends z.ZodTypeAny, Rep extends z.ZodTypeAny>(
  nc: NatsConnection,
  endpoint: Endpoint<Req, Rep>,
  request: z.input<Req>,
  options: CallOptions = {},
): Promise<z.output<Rep>> {
  const body = JSON.stringify(endpoint.request.parse(request));
  const started = performance.now();
  let outcome = 'ok';
  try {
    return await withSpan(
      'lading',
      `send ${endpoint.subject}`,
      messagingAttributes(endpoint.subject, 'send', Buffer.byteLength(body)),
      async () => {
        const carrier = headerCarrier();
        injectTraceContext(carrier);
        return exchange(nc, endpoint, body, carrier.headers, options);
      },
      undefined,
      { kind: SpanKind.PRODUCER },
    );
  } catch (error) {
    outcome = error instanceof RemoteFailure ? error.code : 'error';
    throw error;
  } finally {
    instruments().callDuration.record(secondsSince(started), { 'messaging.destination.name': endpoint.subject, outcome });
  }
}

async function exchange<Rep extends z.ZodTypeAny>(
  nc: NatsConnection,
  endpoint: Endpoint<z.ZodTypeAny, Rep>,
  payload: string,
  headers: MsgHdrs,
  options: CallOptions,
): Promise<z.output<Rep>> {
  let answer;
  try {
    answer = await nc.request(endpoint.subject, payload, { timeout: options.timeoutMs ?? 30_000, headers });
  } catch (error) {
    const noResponders = error instanceof errors.RequestError && error.isNoResponders();
    if (noResponders || error instanceof errors.NoRespondersError) {
      throw new RemoteFailure('internal', `no service answers ${endpoint.subject}: is the stack up? Try \`lading status\``, endpoint.subject);
    }
    const permission =
      error instanceof errors.PermissionViolationError ||
      (error instanceof errors.RequestError && error.cause instanceof errors.PermissionViolationError);
    if (permission) {
      throw new RemoteFailure('forbidden', `this NATS user may not call ${endpoint.subject}`, endpoint.subject);
    }
    if (error instanceof errors.TimeoutError) {
      throw new RemoteFailure('internal', `${endpoint.subject} did not answer in time`, endpoint.subject);
    }
    throw error;
  }
  const envelope = envelopeSchema.parse(answer.json());
  if (!envelope.ok) throw new RemoteFailure(envelope.error.code, envelope.error.message, endpoint.subject);
  return endpoint.reply.parse(envelope.value);
}
