import { z } from 'zod';

/**
 * Who is on the bus. NATS runs two accounts: the services account (JetStream, one user per
 * service role) and the people account (one user per principal, no JetStream). The services
 * account exports the endpoints people may call; the people account imports them with request
 * info shared, so nats-server stamps each such request with the caller's account and user.
 */
export const natsAccounts = { services: 'LADING', people: 'PEOPLE' } as const;

/** The principal `lading up` creates; it may use every namespace. */
export const adminPrincipal = 'admin';

/** The namespace wildcard only the administrator holds. */
export const everyNamespace = '*';

export const principalNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be 1-32 lower-case letters, digits or "-", starting with a letter');

/** The header nats-server sets (and overwrites) on requests that cross a shared service import. */
export const callerInfoHeader = 'Nats-Request-Info';

/** What of that header Lading reads. */
export const callerInfoSchema = z.object({ acc: z.string(), user: z.string().optional() });

/**
 * Each NATS user's private inbox prefix: a user may subscribe only below its own, so no one
 * reads the replies another principal or service gets.
 */
export function inboxPrefix(user: string): string {
  return `_INBOX_${user}`;
}
