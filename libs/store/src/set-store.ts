import type { KV } from '@nats-io/kv';
import { z } from 'zod';
import { validateCredentialSet, validateParameterSet } from '@lading/cnab';
import { resourceNameSchema, namespaceSchema, type SetKey, type SetSummary } from '@lading/contracts';
import { JsonBucket } from './json-bucket.js';
import { namespacedKey, namespaceFilter } from './keys.js';

export type SetKind = 'credentials' | 'parameters';

const setDocumentSchema = z.record(z.string(), z.unknown());

interface Mapping {
  name: string;
  source: Record<string, unknown>;
}

/**
 * CNAB credential or parameter sets: names and source mappings only. A set is validated
 * against its CNAB schema before it is stored, and names must be usable as keys.
 */
export class SetStore {
  private readonly bucket: JsonBucket<typeof setDocumentSchema>;

  constructor(
    kv: KV,
    readonly kind: SetKind,
  ) {
    this.bucket = new JsonBucket(kv, setDocumentSchema, kind === 'credentials' ? 'credential set' : 'parameter set');
  }

  private validate(document: Record<string, unknown>): Record<string, unknown> {
    const validated = this.kind === 'credentials' ? validateCredentialSet(document) : validateParameterSet(document);
    return validated as unknown as Record<string, unknown>;
  }

  async apply(input: Record<string, unknown>): Promise<SetKey> {
    const now = new Date().toISOString();
    const document = this.validate({ created: now, modified: now, schemaVersion: '1.0.1', ...input });
    const key: SetKey = {
      name: resourceNameSchema.parse(document.name, { path: ['name'] }),
      namespace: namespaceSchema.parse(document.namespace ?? '', { path: ['namespace'] }),
    };
    const previous = await this.bucket.get(namespacedKey(key.namespace, key.name));
    const created = (previous?.value.created as string | undefined) ?? document.created;
    await this.bucket.put(namespacedKey(key.namespace, key.name), { ...document, created, modified: now });
    return key;
  }

  async get(key: SetKey): Promise<Record<string, unknown> | undefined> {
    return (await this.bucket.get(namespacedKey(key.namespace, key.name)))?.value;
  }

  /** The set's mappings by entry name. */
  async mappings(key: SetKey): Promise<Mapping[] | undefined> {
    const document = await this.get(key);
    return document ? ((document[this.kind] as Mapping[]) ?? []) : undefined;
  }

  async list(namespace?: string): Promise<SetSummary[]> {
    const documents = await this.bucket.values(namespaceFilter(namespace));
    return documents.map((document) => ({
      name: String(document.name),
      namespace: String(document.namespace ?? ''),
      labels: (document.labels as Record<string, string>) ?? {},
      entries: ((document[this.kind] as Mapping[]) ?? []).map((entry) => entry.name),
      modified: String(document.modified),
    }));
  }

  async delete(key: SetKey): Promise<boolean> {
    const existing = await this.get(key);
    if (!existing) return false;
    await this.bucket.delete(namespacedKey(key.namespace, key.name));
    return true;
  }
}
