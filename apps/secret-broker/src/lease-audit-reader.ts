import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { leaseAuditEntrySchema, streams, type LeaseAuditEntry } from '@lading/contracts';

/**
 * The audit entries of the given runs, oldest first. The stream is read from its first message
 * to the last one present when the call began, with an ordered (ephemeral) consumer.
 */
export async function readLeaseAudit(nc: NatsConnection, runIds: string[]): Promise<LeaseAuditEntry[]> {
  const wanted = new Set(runIds);
  if (wanted.size === 0) return [];
  const manager = await jetstreamManager(nc);
  const { state } = await manager.streams.info(streams.leaseAudit.name);
  if (state.messages === 0) return [];
  const consumer = await jetstream(nc).consumers.get(streams.leaseAudit.name);
  const found: LeaseAuditEntry[] = [];
  const messages = await consumer.consume();
  for await (const message of messages) {
    let decoded: unknown;
    try {
      decoded = message.json();
    } catch {
      decoded = undefined;
    }
    const entry = leaseAuditEntrySchema.safeParse(decoded);
    if (entry.success && wanted.has(entry.data.runId)) found.push(entry.data);
    if (message.seq >= state.last_seq || message.info.pending === 0) break;
  }
  await messages.close();
  return found;
}
