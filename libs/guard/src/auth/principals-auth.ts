import { createHash } from 'node:crypto';
import { verifyPassword } from '@lading/service-kit';
import { basicCredentials, type PrincipalFrom } from './principal.js';
import { anonymousPrincipal } from '../rules/registry-access.js';

/** Where the front door finds the scrypt verifier of a name's password. */
export type VerifierOf = (name: string) => string | undefined;

/** Verified logins kept so that a push of many requests costs one scrypt, not one per request. */
const maxRemembered = 1024;

/**
 * Basic auth against password verifiers (the principals file, and the content pushers' file):
 * the principal is the user name whose password matches. No credentials: the anonymous
 * principal. Wrong ones: undefined, answered 401. A verifier that changes (a new password)
 * forgets what was remembered for it.
 */
export function principalFromVerifiers(verifierOf: VerifierOf): PrincipalFrom {
  const remembered = new Map<string, string>();
  return (req) => {
    const header = req.headers.authorization;
    if (!header) return anonymousPrincipal;
    const given = basicCredentials(header);
    if (!given) return undefined;
    // Some clients answer a Basic challenge with an empty name and password when they have none.
    if (given.name === '' && given.password === '') return anonymousPrincipal;
    const { name, password } = given;
    const verifier = name === '' ? undefined : verifierOf(name);
    if (!verifier) return undefined;
    const key = createHash('sha256').update(`${name}:${password}`).digest('base64url');
    if (remembered.get(key) === verifier) return name;
    if (!verifyPassword(password, verifier)) return undefined;
    if (remembered.size >= maxRemembered) remembered.clear();
    remembered.set(key, verifier);
    return name;
  };
}
