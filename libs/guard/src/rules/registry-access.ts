import { everyNamespace } from '@lading/contracts';
import type { OciRequest } from '../oci/oci-route.js';

/**
 * The name the front door gives a request without credentials. It cannot be a principal's name
 * (those are lower-case letters, digits and "-"), so no one can log in as it.
 */
export const anonymousPrincipal = '(anonymous)';

/** A request as the one route classifier sees it: its route and what its method does there. */
export type AccessRequest = OciRequest;

/** Why a request is refused: 401 asks the client for credentials, 403 refuses the ones it gave. */
export interface AccessRefusal {
  status: 401 | 403;
  message: string;
}

/** Decides, from who is asking and what, whether the front door serves a request. */
export interface RegistryAccess {
  refusal(principal: string, request: AccessRequest): AccessRefusal | undefined;
}

export interface NamespaceAccessOptions {
  /** The namespaces a principal holds (`*`: every one), or undefined when it is not a principal. */
  namespacesOf(principal: string): readonly string[] | undefined;
  /** Services that push content by digest (blobs, manifests by digest) anywhere, and never a tag. */
  contentPushers: ReadonlySet<string>;
  /** Whether requests without credentials may read. */
  anonymousRead: boolean;
}

/** The namespace that owns a repository: its first path segment (`<registry>/<namespace>/...`). */
export function repositoryNamespace(repository: string): string | undefined {
  const slash = repository.indexOf('/');
  return slash > 0 ? repository.slice(0, slash) : undefined;
}

/**
 * Why `principal`, holding `namespaces`, may not write `repository`, or undefined when it may:
 * the one rule for pushes over HTTP and publishes over NATS.
 */
export function repositoryRefusal(principal: string, namespaces: readonly string[], repository: string): string | undefined {
  const namespace = repositoryNamespace(repository);
  if (namespaces.includes(everyNamespace) || (namespace !== undefined && namespaces.includes(namespace))) return undefined;
  const own = namespaces.map((held) => `${held}/...`).join(', ') || 'none';
  return `the principal ${principal} may push only to repositories of its namespaces (${own}), not to ${repository}`;
}

/** Content-addressed writes: they cannot change what any tag names. */
function isContentWrite({ action }: AccessRequest): boolean {
  return action === 'upload' || action === 'push-by-digest';
}

/**
 * Repositories are owned by namespaces: a principal may write only into
 * `<namespace>/...` for a namespace it holds (the administrator anywhere). Anonymous clients may
 * read when allowed and never write; content pushers (the builder) may push by digest only.
 */
export function namespaceAccess(options: NamespaceAccessOptions): RegistryAccess {
  return {
    refusal(principal, request) {
      const anonymous = principal === anonymousPrincipal;
      if (request.action === 'read') {
        if (anonymous && !options.anonymousRead) {
          return { status: 401, message: 'this registry serves only logged-in principals; log in with your Lading credentials' };
        }
        return undefined;
      }
      if (anonymous) return { status: 401, message: 'pushing needs a principal; log in to this registry with your Lading credentials' };
      const repository = 'repository' in request.route ? request.route.repository : '';
      if (options.contentPushers.has(principal)) {
        if (isContentWrite(request)) return undefined;
        return { status: 403, message: `${principal} pushes content by digest only; tags are written by principals` };
      }
      const refused = repositoryRefusal(principal, options.namespacesOf(principal) ?? [], repository);
      return refused === undefined ? undefined : { status: 403, message: refused };
    },
  };
}
