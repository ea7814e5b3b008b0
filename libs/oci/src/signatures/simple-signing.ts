import { isDigest } from '@lading/contracts/reference-grammar';

/**
 * The one home of the signature format Lading writes and reads: sigstore/cosign's. A signature
 * of manifest `sha256:<hex>` lives in the same repository as an OCI image tagged
 * `sha256-<hex>.sig`; each layer is a simple-signing payload naming the repository and the
 * digest, with the base64 ECDSA signature of the payload in an annotation.
 */
export const simpleSigningMediaType = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const signatureAnnotation = 'dev.cosignproject.cosign/signature';
export const simpleSigningType = 'cosign container image signature';

/** What a signature tag looks like (`sha256-<hex>.sig`); no other tag travels in an archive. */
export function isSignatureTag(tag: string): boolean {
  return tag.startsWith('sha256-') && tag.endsWith('.sig') && isDigest(`sha256:${tag.slice('sha256-'.length, -'.sig'.length)}`);
}

/** `sha256-<hex>.sig`: the tag under which the signatures of `digest` are found. */
export function signatureTag(digest: string): string {
  return `${digest.replace(':', '-')}.sig`;
}

export interface SimpleSigningPayload {
  critical: { identity: { 'docker-reference': string }; image: { 'docker-manifest-digest': string }; type: string };
  optional: Record<string, unknown> | null;
}

export function simpleSigningPayload(dockerReference: string, digest: string): Buffer {
  const payload: SimpleSigningPayload = {
    critical: { identity: { 'docker-reference': dockerReference }, image: { 'docker-manifest-digest': digest }, type: simpleSigningType },
    optional: null,
  };
  return Buffer.from(JSON.stringify(payload));
}

/** The manifest digest a payload vouches for, or undefined when it is not a simple-signing payload. */
export function signedDigest(payload: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(payload.toString('utf8')) as SimpleSigningPayload;
    if (parsed?.critical?.type !== simpleSigningType) return undefined;
    const digest = parsed.critical.image?.['docker-manifest-digest'];
    return typeof digest === 'string' ? digest : undefined;
  } catch {
    return undefined;
  }
}
