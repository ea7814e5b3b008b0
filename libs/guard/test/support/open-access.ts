import type { RegistryAccess } from '../../src/internal.js';

/**
 * Lets every request through, anonymous writes included: for suites about the ledger, streaming
 * and framing, where who may push is not the subject. The product always uses namespaceAccess.
 */
export const openAccess: RegistryAccess = { refusal: () => undefined };
