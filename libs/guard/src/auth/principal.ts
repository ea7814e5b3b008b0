import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ownValue } from '@lading/contracts';

/**
 * Returns who is asking, or undefined to answer 401 with a Basic challenge. It sees only the
 * request's headers, because blob traffic is served by a separate thread that asks by message.
 */
export type PrincipalFrom = (req: { headers: IncomingHttpHeaders }) => string | undefined;

/** Header a client sets to ask for a forced overwrite; honoured only for force principals. */
export { forceHeader } from '@lading/oci';

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The user name and password of a Basic Authorization header, or undefined when it is not one. */
export function basicCredentials(header: string): { name: string; password: string } | undefined {
  const [scheme, encoded] = header.split(' ');
  if (scheme?.toLowerCase() !== 'basic' || !encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * The principal is the Basic-auth user name, checked against `users` (name → password).
 * Without credentials the request runs as `anonymous` when given, otherwise it is challenged;
 * wrong credentials are always challenged.
 */
export function principalFromBasicAuth(users: Record<string, string>, anonymous?: string): PrincipalFrom {
  return (req) => {
    const header = req.headers.authorization;
    if (!header) return anonymous;
    const given = basicCredentials(header);
    if (!given) return undefined;
    const expected = ownValue(users, given.name);
    return expected !== undefined && sameSecret(given.password, expected) ? given.name : undefined;
  };
}

/**
 * For a guard without its own upstream credentials: the principal is the Basic-auth user name,
 * and the password is checked by the upstream registry, because the client's credentials travel
 * with every request the guard forwards, including the tag write itself. A wrong password makes
 * that write fail upstream and the ledger reservation is released, so nothing changes.
 */
export function principalFromUpstreamCredentials(anonymous = 'anonymous'): PrincipalFrom {
  return (req) => {
    const header = req.headers.authorization;
    if (!header?.toLowerCase().startsWith('basic ')) return anonymous;
    const decoded = Buffer.from(header.slice('basic '.length), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon > 0 ? decoded.slice(0, colon) : undefined;
  };
}
