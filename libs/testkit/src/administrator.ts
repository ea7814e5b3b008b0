import { adminPrincipal, everyNamespace } from '@lading/contracts';

/**
 * The administrator as nats-server would vouch for it, for tests that call the run path's
 * functions directly: services refuse work that has no principal behind it.
 */
export const administratorCaller = { principal: adminPrincipal, namespaces: [everyNamespace], admin: true } as const;
