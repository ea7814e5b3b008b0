// Grammar of the OCI Distribution spec. Anything else, including percent-encoding, is refused
// before a byte is forwarded, so no path trick can reach the upstream.
const component = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const repositoryPattern = new RegExp(`^${component}(?:/${component})*$`);
const tagPattern = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const digestPattern = /^sha256:[a-f0-9]{64}$/;
const sessionPattern = /^[A-Za-z0-9_.=-]{1,256}$/;

export function isRepositoryName(name: string): boolean {
  return name.length <= 255 && repositoryPattern.test(name);
}

export function isTag(reference: string): boolean {
  return tagPattern.test(reference);
}

export function isDigest(reference: string): boolean {
  return digestPattern.test(reference);
}

export function isUploadSession(session: string): boolean {
  return sessionPattern.test(session);
}
