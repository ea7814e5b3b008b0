import type { KV } from '@nats-io/kv';
import type { z } from 'zod';

export interface Versioned<T> {
  value: T;
  revision: number;
}

/**
 * A KV bucket of JSON records of one shape. Every record is validated when read, so a
 * damaged or foreign entry is reported instead of flowing on.
 */
export class JsonBucket<S extends z.ZodTypeAny> {
  constructor(
    readonly kv: KV,
    private readonly schema: S,
    private readonly what: string,
  ) {}

  async get(key: string): Promise<Versioned<z.output<S>> | undefined> {
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return undefined;
    const parsed = this.schema.safeParse(entry.json());
    if (!parsed.success) throw new Error(`the stored ${this.what} "${key}" is not valid: ${parsed.error.issues[0]?.message}`);
    return { value: parsed.data, revision: entry.revision };
  }

  async put(key: string, value: z.input<S>): Promise<number> {
    return this.kv.put(key, JSON.stringify(this.schema.parse(value)));
  }

  /** Writes only if the key does not exist yet; throws when it does. */
  async create(key: string, value: z.input<S>): Promise<number> {
    return this.kv.create(key, JSON.stringify(this.schema.parse(value)));
  }

  /** Writes only if the key is still at `revision` (compare-and-set). */
  async update(key: string, value: z.input<S>, revision: number): Promise<number> {
    return this.kv.update(key, JSON.stringify(this.schema.parse(value)), revision);
  }

  async delete(key: string): Promise<void> {
    await this.kv.delete(key);
  }

  /** Removes the key and every earlier value of it, leaving no history behind. */
  async purge(key: string): Promise<void> {
    await this.kv.purge(key);
  }

  async keys(filter = '>'): Promise<string[]> {
    const found: string[] = [];
    for await (const key of await this.kv.keys(filter)) found.push(key);
    return found.sort();
  }

  async values(filter = '>'): Promise<Array<z.output<S>>> {
    const found: Array<z.output<S>> = [];
    for (const key of await this.keys(filter)) {
      const record = await this.get(key);
      if (record) found.push(record.value);
    }
    return found;
  }
}
