// The image-reference grammar of the OCI distribution spec, the one definition every library and
// message schema checks references and digests against:
//
//   reference := name [ ":" tag ] [ "@" digest ]     name := [ host [ ":" port ] "/" ] path
//
// Lading narrows it in one way only: the digest is sha256 with 64 lowercase hex digits, the one
// form it pins content by. This file imports nothing, so the contracts' schemas can use it
// without loading the registry client (`@lading/contracts/reference-grammar`).

const hostComponent = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)';
const hostPattern = new RegExp(`^(?:${hostComponent}(?:\\.${hostComponent})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]{1,5})?$`);
const pathComponent = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const pathPattern = new RegExp(`^${pathComponent}(?:/${pathComponent})*$`);
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const digestPattern = /^sha256:[a-f0-9]{64}$/;
/** The spec's limit on a repository name. */
const maxPathLength = 255;

/** A reference split by the grammar; `registry` is absent when the text names none. */
export interface ReferenceParts {
  readonly registry?: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** True for a sha256 digest in the only form Lading accepts: `sha256:` and 64 lowercase hex digits. */
export function isDigest(value: string): boolean {
  return digestPattern.test(value);
}

/** True for a repository path such as `demo/hello`: lowercase components joined by single separators. */
export function isRepository(value: string): boolean {
  return value.length <= maxPathLength && pathPattern.test(value);
}

export function isTag(value: string): boolean {
  return tagPattern.test(value);
}

/**
 * True for `host[:port]`. As in Docker's reading of the grammar, a first component is a host only
 * when it has a dot, a port or is `localhost`, so `demo/hello` is never mistaken for one.
 */
export function isRegistryHost(value: string): boolean {
  return hostPattern.test(value) && (value.includes('.') || value.includes(':') || value === 'localhost');
}

/**
 * Splits `[host[:port]/]path[:tag][@digest]` by the grammar. Returns the parts, or the reason the
 * text is not a reference, as a phrase each caller puts in its own sentence.
 */
export function splitReference(text: string): ReferenceParts | string {
  if (typeof text !== 'string' || text.length === 0) return 'it is empty';
  if (/\s/.test(text)) return 'it contains whitespace';
  const [namePart, digest, ...extra] = text.split('@');
  if (extra.length > 0) return 'it contains more than one "@"';
  if (digest !== undefined && !isDigest(digest)) return `digest "${digest}" is not sha256:<64 lowercase hex>`;
  const slash = namePart.indexOf('/');
  const first = slash < 0 ? '' : namePart.slice(0, slash);
  const registry = first !== '' && isRegistryHost(first) ? first : undefined;
  let repository = registry === undefined ? namePart : namePart.slice(slash + 1);
  let tag: string | undefined;
  const colon = repository.lastIndexOf(':');
  if (colon >= 0) {
    tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
    if (!isTag(tag)) return `tag "${tag}" is not valid`;
  }
  if (!isRepository(repository)) {
    return `repository "${repository}" must be lowercase path components of letters, digits and single separators`;
  }
  return { ...(registry !== undefined ? { registry } : {}), repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** `registry/repository`, or the repository alone when the reference names no registry. */
export function qualifiedName(parts: Pick<ReferenceParts, 'registry' | 'repository'>): string {
  return parts.registry === undefined ? parts.repository : `${parts.registry}/${parts.repository}`;
}

/**
 * The short name Docker shows for a Docker Hub repository (`docker.io/library/x` is `x`,
 * `docker.io/team/x` is `team/x`), as it spells RepoDigests.
 */
export function familiarName(name: string): string {
  const withoutHub = name.replace(/^(?:docker\.io|index\.docker\.io)\//, '');
  return withoutHub !== name || !withoutHub.includes('/') ? withoutHub.replace(/^library\//, '') : withoutHub;
}
