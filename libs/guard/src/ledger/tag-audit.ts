import { streams, tagAuditRecordSchema, type TagAuditRecord } from '@lading/contracts';
import { JetStreamApiError, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';

/** One forced overwrite or delete of a tag, as the audit stream and `lading audit tags` carry it. */
export type TagAuditEntry = TagAuditRecord;

const auditStream = streams.tagAudit;
const auditSubject = streams.tagAudit.subjects[0];

export async function ensureTagAuditStream(jsm: JetStreamManager): Promise<void> {
  try {
    await jsm.streams.info(auditStream.name);
  } catch (error) {
    if (!(error instanceof JetStreamApiError)) throw error;
    try {
      await jsm.streams.add({ name: auditStream.name, subjects: [...auditStream.subjects] });
    } catch (raced) {
      // Another replica created it between our look-up and our add.
      await jsm.streams.info(auditStream.name).catch(() => Promise.reject(raced));
    }
  }
}

/**
 * Appends one entry. `changeId` names the ledger change it records: the replica that made the
 * change and one that reconciles it after a crash both append, and JetStream keeps one of them.
 */
export async function appendTagAudit(js: JetStreamClient, entry: TagAuditEntry, changeId: string): Promise<void> {
  await js.publish(auditSubject, JSON.stringify(tagAuditRecordSchema.parse(entry)), { msgID: changeId });
}

/**
 * The audit, oldest first; with `limit`, only the latest `limit` entries, read from the end of
 * the stream so the cost follows the limit, not the age of the audit.
 */
export async function readTagAudit(jsm: JetStreamManager, limit = Number.POSITIVE_INFINITY): Promise<TagAuditEntry[]> {
  const info = await jsm.streams.info(auditStream.name);
  const newestFirst: TagAuditEntry[] = [];
  if (info.state.messages === 0) return newestFirst;
  for (let seq = info.state.last_seq; seq >= info.state.first_seq && newestFirst.length < limit; seq--) {
    const message = await jsm.streams.getMessage(auditStream.name, { seq }).catch(() => null);
    if (message) newestFirst.push(tagAuditRecordSchema.parse(message.json()));
  }
  return newestFirst.reverse();
}
