import type { KV } from '@nats-io/kv';
import { validateCredentialSet, validateParameterSet } from '@lading/cnab';
import { cnabDocumentSchema, resourceNameSchema, namespaceSchema, type SetKey, type SetSummary, valueSetEntries, type ValueMapping, type ValueSet } from '@lading/contracts';
import { JsonBucket } from './json-bucket.js';
import { namespacedKey, namespaceFilter } from './keys.js';

export type SetKind = 'credentials' | 'parameters';

// What the bucket holds was validated against its CNAB schema before it was stored.
const setDocumentSchema = cnabDocumentSchema<ValueSet>('credential or parameter set');

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

  private validate(document: object): ValueSet {
    return this.kind === 'credentials' ? validateCredentialSet(document) : validateParameterSet(document);
  }

  /** Stores a set as a user wrote it; `schemaVersion`, `created` and `modified` are filled in when left out. */
  async apply(input: object): Promise<SetKey> {
    const now = new Date().toISOString();
    const document = this.validate({ created: now, modified: now, schemaVersion: '1.0.1', ...input });
    const key: SetKey = {
      name: resourceNameSchema.parse(document.name, { path: ['name'] }),
      namespace: namespaceSchema.parse(document.namespace ?? '', { path: ['namespace'] }),
    };
    const previous = await this.bucket.get(namespacedKey(key.namespace, key.name));
    const created = previous?.value.created ?? document.created;
    await this.bucket.put(namespacedKey(key.namespace, key.name), { ...document, created, modified: now });
    return key;
  }

  async get(key: SetKey): Promise<ValueSet | undefined> {
    return (await this.bucket.get(namespacedKey(key.namespace, key.name)))?.value;
  }

  /** The set's mappings by entry name. */
  async mappings(key: SetKey): Promise<ValueMapping[] | undefined> {
    const document = await this.get(key);
    return document ? valueSetEntries(document) : undefined;
  }

  async list(namespace?: string): Promise<SetSummary[]> {
    const documents = await this.bucket.values(namespaceFilter(namespace));
    return documents.map((document) => ({
      name: document.name,
      namespace: document.namespace ?? '',
      labels: document.labels ?? {},
      entries: valueSetEntries(document).map((entry) => entry.name),
      modified: document.modified,
    }));
  }
  async delete(key: SetKey): Promise<boolean> {
    const existing = await this.get(key);
    if (!existing) return false;
    await this.bucket.delete(namespacedKey(key.namespace, key.name));
    return true;
  }
}
