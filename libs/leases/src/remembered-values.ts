import { z } from 'zod';
import { ownRecord } from '@lading/contracts';
import { installationValuesSecretName, type SecretStore } from '@lading/secrets';

const valuesSchema = z.record(z.string(), z.string());

/**
 * The parameter values an installation's successful runs used, by name, kept as one encrypted
 * document in the secret store. A reused sensitive value travels in the lease alone, as a given
 * one does; a non-sensitive one is recorded in the run's claim like one given with --param.
 */
export async function rememberedValues(store: SecretStore, namespace: string, installation: string): Promise<Record<string, string>> {
  const stored = await store.get(installationValuesSecretName(namespace, installation));
  if (!stored) return ownRecord();
  const parsed = valuesSchema.safeParse(JSON.parse(stored.toString('utf8')));
  return ownRecord(parsed.success ? Object.entries(parsed.data) : []);
}
