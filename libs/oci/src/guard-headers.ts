/**
 * HTTP headers a Lading registry guard understands on a manifest write by tag. Any other
 * registry ignores them, so a client can tell from the answer whether a guard's ledger decided.
 */
export const forceHeader = 'x-lading-force';
/** The guard's answer to a tag write: `created`, `unchanged` or `replaced`. */
export const tagOutcomeHeader = 'x-lading-outcome';
