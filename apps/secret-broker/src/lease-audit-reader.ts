import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { leaseAuditEntrySchema, streams, type LeaseAuditEntry } from '@lading/contracts';
import type { AdmissionBucket } from '@lading/leases';
import { mayUseNamespace, type Caller } from '@lading/service-kit';

/**
 * The runs among `runIds` the caller may see: those the broker admitted in one of its
 * namespaces. The namespace comes from the broker's own admission record, never from the
 * request or a record someone else writes; a run the broker never admitted is shown to the
 * administrator alone.
 */
export async function runsVisibleTo(caller: Caller, runIds: string[], admissions: AdmissionBucket): Promise<string[]> {
  if (caller.admin) return runIds;
  const visible: string[] = [];
  for (const runId of new Set(runIds)) {
    const admission = await admissions.get(runId);
    if (admission && mayUseNamespace(caller, admission.value.namespace)) visible.push(runId);
  }
  return visible;
}

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
