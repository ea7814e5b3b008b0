import type { MsgHdrs } from '@nats-io/nats-core';
import { adminPrincipal, callerInfoHeader, callerInfoSchema, everyNamespace, natsAccounts, ownValue } from '@lading/contracts';
import { ServiceFailure } from '../failure.js';
import { PrincipalsFileReader } from './principals-file.js';
import { serviceSettings } from '../settings/service-settings.js';

/** A person (principal) on whose behalf a request was made, as nats-server vouches for it. */
export interface Caller {
  principal: string;
  /** The namespaces the principal may use; `['*']` for the administrator. */
  namespaces: readonly string[];
  admin: boolean;
}

/**
 * Where a service learns the principals' namespaces. Without a principals file only the
 * administrator exists (a stack configured by hand with one person).
 */
export interface PrincipalDirectory {
  namespacesOf(principal: string): readonly string[] | undefined;
}

export function principalDirectory(reader: PrincipalsFileReader | undefined): PrincipalDirectory {
  return {
    namespacesOf(principal) {
      if (!reader) return principal === adminPrincipal ? [everyNamespace] : undefined;
      return ownValue(reader.current().principals, principal)?.namespaces;
    },
  };
}

/**
 * The principal behind a request, read from the header nats-server stamps on requests that come
 * through the people account's shared imports (it overwrites any copy a client sends). A request
 * from a service user carries no such stamp — those users cannot publish people's subjects — and
 * has no caller. A stamped request from someone the directory does not know is refused.
 */
export function callerOf(headers: MsgHdrs | undefined, directory: PrincipalDirectory): Caller | undefined {
  const raw = headers?.get(callerInfoHeader);
  if (!raw) return undefined;
  let info;
  try {
    info = callerInfoSchema.parse(JSON.parse(raw));
  } catch {
    return undefined;
  }
  if (info.acc !== natsAccounts.people || !info.user) return undefined;
  const namespaces = directory.namespacesOf(info.user);
  if (!namespaces) throw new ServiceFailure('forbidden', `the principal ${info.user} is not known to this stack`);
  return { principal: info.user, namespaces, admin: namespaces.includes(everyNamespace) };
}

/** True when the caller may see and use `namespace`. */
export function mayUseNamespace(caller: Caller, namespace: string): boolean {
  return caller.admin || caller.namespaces.includes(namespace);
}

/** Refuses, in one sentence, a request for a namespace the caller does not hold (or with no caller). */
export function assertNamespace(caller: Caller | undefined, namespace: string): Caller {
  if (!caller) throw new ServiceFailure('forbidden', 'this request must come from a principal, not a service');
  if (!mayUseNamespace(caller, namespace)) {
    throw new ServiceFailure(
      'forbidden',
      `the principal ${caller.principal} may not use the namespace ${JSON.stringify(namespace)}`,
    );
  }
  return caller;
}

/** Refuses a request that does not come from a principal. */
export function assertPerson(caller: Caller | undefined): Caller {
  if (!caller) throw new ServiceFailure('forbidden', 'this request must come from a principal, not a service');
  return caller;
}

let processDirectory: PrincipalDirectory | undefined;

/** The directory of this process: the principals file named by `LADING_PRINCIPALS_FILE`, if any. */
export function processPrincipalDirectory(env: NodeJS.ProcessEnv = process.env): PrincipalDirectory {
  const file = env[serviceSettings.principalsFile.name];
  processDirectory ??= principalDirectory(file ? new PrincipalsFileReader(file) : undefined);
  return processDirectory;
}
