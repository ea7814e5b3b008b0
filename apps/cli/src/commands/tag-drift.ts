import { endpoints, type TagDriftRecord } from '@lading/contracts';
import { callEndpoint } from '@lading/service-kit/client';
import { withSession } from '../session.js';

/**
 * The tags the upstream serves differently from the guard's ledger, as the guard finds them now;
 * or why that could not be asked, so `lading status` still shows the rest.
 */
export async function tagDrift(): Promise<{ drift: TagDriftRecord[] } | { unknown: string }> {
  try {
    return await withSession(({ nc }) => callEndpoint(nc, endpoints.tagDrift, {}));
  } catch (error) {
    return { unknown: (error as Error).message };
  }
}

/** One line per drifted tag, for the status table. */
export function driftLines(drift: TagDriftRecord[]): string {
  return drift
    .map(
      (entry) =>
        `changed behind the guard: ${entry.repository}:${entry.tag} is ${entry.ledgerDigest} in the ledger, the upstream serves ${entry.upstreamDigest ?? 'nothing'}\n`,
    )
    .join('');
}
