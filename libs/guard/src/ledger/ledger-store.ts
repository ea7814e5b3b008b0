import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { ledgerEntrySchema, type LedgerEntry } from './ledger-entry.js';

export interface StoredEntry {
  entry: LedgerEntry;
  revision: number;
}

/** True when a compare-and-set lost: someone else changed the key first. */
function lostRace(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence || error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

/** Thin compare-and-set layer over the tags bucket; every write is a single atomic KV step. */
export class LedgerStore {
  constructor(readonly kv: KV) {}

  async read(key: string): Promise<StoredEntry | undefined> {
    const found = await this.kv.get(key);
    if (!found || found.operation !== 'PUT') return undefined;
    return { entry: ledgerEntrySchema.parse(found.json()), revision: found.revision };
  }

  /** Create-if-absent. Returns the new revision, or undefined when another writer got there first. */
  async tryCreate(key: string, entry: LedgerEntry): Promise<number | undefined> {
    try {
      return await this.kv.create(key, JSON.stringify(entry));
    } catch (error) {
      if (lostRace(error)) return undefined;
      throw error;
    }
  }

  async tryUpdate(key: string, entry: LedgerEntry, revision: number): Promise<number | undefined> {
    try {
      return await this.kv.update(key, JSON.stringify(entry), revision);
    } catch (error) {
      if (lostRace(error)) return undefined;
      throw error;
    }
  }

  async tryDelete(key: string, revision: number): Promise<boolean> {
    try {
      await this.kv.delete(key, { previousSeq: revision });
      return true;
    } catch (error) {
      if (lostRace(error)) return false;
      throw error;
    }
  }

  async *entries(): AsyncGenerator<StoredEntry & { key: string }> {
    const keys = await this.kv.keys();
    const all: string[] = [];
    for await (const key of keys) all.push(key);
    for (const key of all) {
      const stored = await this.read(key);
      if (stored) yield { key, ...stored };
    }
  }
}
