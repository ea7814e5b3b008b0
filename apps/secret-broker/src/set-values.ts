import type { KeyObject } from 'node:crypto';
import { sealedBoxSchema, sealingContexts } from '@lading/contracts';
import { open, setValueSecretName, type SecretStore } from '@lading/secrets';
import { ServiceFailure } from '@lading/service-kit';

type Kind = 'credentials' | 'parameters';

interface Entry {
  name: string;
  source: Record<string, unknown>;
}

/**
 * CNAB `value` sources are literal values. Lading keeps none in its records: the CLI seals each
 * one to the broker (`sealedValue`), and the broker moves it into the secret store, leaving a
 * `secret` source in the set. A plain `value` sent by another client is moved the same way.
 * Returns the set as it is to be stored and the values to write once it has been accepted.
 */
export function separateValues(
  kind: Kind,
  document: Record<string, unknown>,
  brokerKey: KeyObject,
): { document: Record<string, unknown>; values: Map<string, Buffer> } {
  const values = new Map<string, Buffer>();
  const entries = document[kind];
  if (!Array.isArray(entries)) return { document, values };
  const name = String(document.name ?? '');
  const namespace = typeof document.namespace === 'string' ? document.namespace : '';
  const moved: Entry[] = [];
  for (const entry of entries as Entry[]) {
    const source = entry?.source ?? {};
    if (!('sealedValue' in source) && !('value' in source)) {
      moved.push(entry);
      continue;
    }
    let value: Buffer;
    if ('sealedValue' in source) {
      const box = sealedBoxSchema.safeParse(source.sealedValue);
      if (!box.success) throw new ServiceFailure('invalid_request', `${kind} entry ${entry.name}: sealedValue is not a sealed box`);
      value = open(box.data, brokerKey, sealingContexts.setValue(kind, namespace, name, entry.name));
    } else {
      value = Buffer.from(String(source.value));
    }
    const secret = setValueSecretName(kind, namespace, name, entry.name);
    values.set(secret, value);
    moved.push({ ...entry, source: { secret } });
  }
  return { document: { ...document, [kind]: moved }, values };
}

/** Removes the values a set's entries were moved into, when the set is deleted. */
export async function forgetSetValues(kind: Kind, namespace: string, set: string, store: SecretStore): Promise<void> {
  const prefix = `${setValueSecretName(kind, namespace, set, '')}`;
  for (const name of await store.list()) if (name.startsWith(prefix)) await store.delete(name);
}
