import { LeaseRefusedError } from './lease-refused.js';
import type { RunCaller } from './types.js';

/**
 * Whether the caller may use `namespace`. Administrators see every namespace; a principal only
 * its own. A request without a caller came from a service user of the services account, which
 * the server's permissions already confine.
 */
export function authorizeNamespace(caller: RunCaller | undefined, namespace: string): void {
  if (!caller || caller.admin || caller.namespaces.includes(namespace)) return;
  throw new LeaseRefusedError('forbidden', `principal ${caller.principal} may not use namespace "${namespace}"`);
}
