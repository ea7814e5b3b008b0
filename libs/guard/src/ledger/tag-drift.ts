import type { TagDriftRecord } from '@lading/contracts';

/** A tag whose upstream content is not what the ledger recorded, as the drift endpoint reports it. */
export type TagDrift = TagDriftRecord;

/** Who the tag audit names for a change nobody made through the guard. */
export const driftPrincipal = 'upstream (changed behind the guard)';
