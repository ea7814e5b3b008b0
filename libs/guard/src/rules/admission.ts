import type { IncomingHttpHeaders } from 'node:http';
import type { FrontDoorOptions } from './rule-engine.js';
import { authenticationRequired, basicChallenge } from '../oci/oci-errors.js';
import type { OciRequest } from '../oci/oci-route.js';
import type { AccessRefusal } from './registry-access.js';
import type { ClientRequestView, UpstreamLink } from '../upstream/upstream-link.js';

export interface Admission {
  principal?: string;
  refusal?: AccessRefusal;
}

/**
 * Who is asking (a bearer token the guard issued, or what `principalFrom` says) and whether they
 * may: the one decision for requests the rule engine serves and those the data plane relays.
 */
export function admit(
  options: Pick<FrontDoorOptions, 'principalFrom' | 'access' | 'tokens'>,
  headers: IncomingHttpHeaders,
  request: OciRequest,
): Admission {
  const bearer = /^bearer (.+)$/i.exec(headers.authorization ?? '')?.[1];
  let principal: string | undefined;
  try {
    principal = bearer !== undefined ? options.tokens?.verify(bearer) : options.principalFrom({ headers });
  } catch {
    principal = undefined;
  }
  if (principal === undefined) return { refusal: { status: 401, message: authenticationRequired } };
  // With tokens, a ping without credentials is challenged: that is when Docker learns to log in.
  if (options.tokens && request.route.kind === 'ping' && !headers.authorization) {
    return { refusal: { status: 401, message: authenticationRequired } };
  }
  const refusal = options.access.refusal(principal, request);
  return refusal ? { refusal } : { principal };
}

/** The WWW-Authenticate challenge of a 401: Bearer with this front door's token realm, or Basic. */
export function challengeFor(options: Pick<FrontDoorOptions, 'tokens'>, link: UpstreamLink, req: ClientRequestView): string {
  return options.tokens ? options.tokens.challenge(link.publicOrigin(req)) : basicChallenge;
}
