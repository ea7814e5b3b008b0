// Names in registry paths follow the OCI grammar, defined once in @lading/oci. Anything else,
// including percent-encoding, is refused before a byte is forwarded, so no path trick can reach
// the upstream.
import { isDigest, isRepository, isTag } from '@lading/oci';

export { isDigest, isTag };

const sessionPattern = /^[A-Za-z0-9_.=-]{1,256}$/;

export function isRepositoryName(name: string): boolean {
  return isRepository(name);
}

export function isUploadSession(session: string): boolean {
  return sessionPattern.test(session);
}
