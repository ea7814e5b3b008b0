import { AckPolicy, jetstream, jetstreamManager, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { runRequestSchema, streams, type RunRequest } from '@lading/contracts';
import { ensureStream, headerCarrier, type ServiceContext } from '@lading/service-kit';
import { extractTraceContext, instruments, messagingAttributes, recordSpan, SpanKind, withSpan } from '@lading/telemetry';

const consumerName = 'runners';
/** How long a run whose installation is busy waits before it is offered to a runner again. */
const busyRetryMs = 1_000;

/** What the runner does with one request it took: run it, or hand it back for later. */
export type Disposition = 'done' | 'later';

/** The runner owns the work queue (the broker only publishes admitted runs into it). */
async function addConsumer(manager: JetStreamManager): Promise<void> {
  await manager.consumers.add(streams.runs.name, {
    durable_name: consumerName,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(60_000),
    // A busy installation hands its run back many times before it can start.
    max_deliver: -1,
  });
}

/**
 * Takes run requests from the JetStream work queue, one at a time per runner process; every
 * runner shares one durable consumer, so each request goes to exactly one runner. A request is
 * acknowledged when its run has finished; while it runs the runner keeps telling JetStream it
 * is still working on it. A stopping runner finishes the run it has taken first.
 */
export async function consumeRunRequests(
  context: ServiceContext,
  execute: (request: RunRequest, submitter: string) => Promise<Disposition>,
): Promise<void> {
  const { nc, logger } = context;
  await ensureStream(nc, streams.runs, true);
  const manager = await jetstreamManager(nc);
  await addConsumer(manager);
  const consumer = await jetstream(nc).consumers.get(streams.runs.name, consumerName);
  const messages = await consumer.consume({ max_messages: 1 });
  // Queue lag: runs admitted and not yet taken, as the shared consumer counts them.
  instruments().queueLag.addCallback(async (result) => {
    const info = await consumer.info(true).catch(() => undefined);
    if (info) result.observe(info.num_pending);
  });
  let stopping = false;
  let inFlight: Promise<void> = Promise.resolve();
  // On SIGTERM: take no more requests, but finish the run already taken while NATS is still
  // connected, so that its container is removed and its request acknowledged.
  context.onShutdown(async () => {
    stopping = true;
    messages.stop();
    await inFlight;
  });

  void (async () => {
    for await (const message of messages) {
      // A request delivered while stopping goes back to the queue at once, for another runner.
      if (stopping) {
        message.nak();
        continue;
      }
      inFlight = handle(message);
      await inFlight;
    }
  })();

  async function handle(message: JsMsg): Promise<void> {
    let request: RunRequest;
    try {
      request = runRequestSchema.parse(message.json());
    } catch {
      logger.warn('dropped a malformed run request', { seq: message.seq });
      message.term();
      return;
    }
    const heartbeat = setInterval(() => message.working(), 10_000);
    const parent = extractTraceContext(headerCarrier(message.headers));
    // The wait in the queue, from the broker's publish to this delivery, as its own span (first delivery only:
    // a busy installation's run handed back is waiting for the installation, not for a runner).
    const queuedAt = message.info.timestampNanos / 1e6;
    if (message.info.deliveryCount === 1) {
      recordSpan('lading', 'queue wait', { 'lading.run.id': request.runId, 'messaging.system': 'nats', 'messaging.destination.name': message.subject }, queuedAt, Date.now(), parent);
      instruments().queueWait.record(Math.max(0, (Date.now() - queuedAt) / 1000), { action: request.action });
    }
    try {
      const disposition = await withSpan(
        'lading',
        `process ${message.subject}`,
        { ...messagingAttributes(message.subject, 'process', message.data.length), 'lading.run.id': request.runId, 'lading.run.action': request.action },
        () => execute(request, request.submittedBy),
        parent,
        { kind: SpanKind.CONSUMER },
      );
      if (disposition === 'later') message.nak(busyRetryMs);
      else message.ack();
    } catch (error) {
      logger.error('run could not be recorded', { runId: request.runId, error: (error as Error).message });
      message.nak();
    } finally {
      clearInterval(heartbeat);
    }
  }
}
