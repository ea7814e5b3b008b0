import type { NatsConnection } from '@nats-io/nats-core';
import { endpoints, runSourceKey, valueSetEntries, type SetKey } from '@lading/contracts';
import { callerResolvedKinds, describeSet, resolveValue, SourceError } from '@lading/secrets';
import { callEndpoint } from '@lading/service-kit/client';
import { UserError } from './user-error.js';

/**
 * Resolves, on this machine and at this moment, the `env`, `path` and `command` entries of the
 * sets a run names — as Porter does — so the broker never reads a path, runs a command or hands
 * over its own environment. The values go to the broker sealed for this one run, never stored.
 */
export async function resolveLocalSources(nc: NatsConnection, kind: 'credentials' | 'parameters', sets: SetKey[]): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const show = kind === 'credentials' ? endpoints.credentialsShow : endpoints.parametersShow;
  for (const set of sets) {
    const { document } = await callEndpoint(nc, show, set);
    for (const entry of valueSetEntries(document)) {
      if (!callerResolvedKinds.some((local) => local in (entry.source ?? {}))) continue;
      const label = describeSet(kind, set);
      try {
        values[runSourceKey(kind, set, entry.name)] = (await resolveValue(entry.source, { setLabel: label, entryName: entry.name, env: process.env })).toString('utf8');
      } catch (error) {
        if (error instanceof SourceError) throw new UserError(error.message);
        throw error;
      }
    }
  }
  return values;
}
