import { AckPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { runRequestSchema, streams, type RunRequest } from '@lading/contracts';
import { ensureStream, headerCarrier, type ServiceContext } from '@lading/service-kit';
import { extractTraceContext, withSpan } from '@lading/telemetry';

const consumerName = 'runners';

/**
 * Takes run requests from the JetStream work queue, one at a time per runner process; every
 * runner shares one durable consumer, so each request goes to exactly one runner. A request is
 * acknowledged when its run has finished; while it runs the runner keeps telling JetStream it
 * is still working on it. A stopping runner finishes the run it has taken first.
 */
export async function consumeRunRequests(
  context: ServiceContext,
  execute: (request: RunRequest, submitter: string) => Promise<void>,
): Promise<void> {
  const { nc, logger } = context;
  await ensureStream(nc, streams.runs, true);
  const manager = await jetstreamManager(nc);
  await manager.consumers.add(streams.runs.name, {
    durable_name: consumerName,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(60_000),
    max_deliver: 3,
  });
  const consumer = await jetstream(nc).consumers.get(streams.runs.name, consumerName);
  const messages = await consumer.consume({ max_messages: 1 });
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
    try {
      await withSpan('lading', `run ${request.action}`, { 'lading.run': request.runId }, () => execute(request, request.submittedBy), parent);
      message.ack();
    } catch (error) {
      logger.error('run could not be recorded', { runId: request.runId, error: (error as Error).message });
      message.nak();
    } finally {
      clearInterval(heartbeat);
    }
  }
}
