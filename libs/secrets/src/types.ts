import type { KeyObject } from 'node:crypto';

/** An X25519 key pair: the public half travels (raw 32 bytes, base64), the private half never does. */
export interface SealingKeyPair {
  publicKey: string;
  privateKey: KeyObject;
}

/**
 * Where secret values live. Deliberately small, so another backend is one new file.
 * Names are validated by each store (see `assertSecretName`); values are opaque bytes.
 */
export interface SecretStore {
  get(name: string): Promise<Buffer | undefined>;
  set(name: string, value: Buffer): Promise<void>;
  delete(name: string): Promise<void>;
  list(): Promise<string[]>;
}

/** One encrypted record as kept at rest: the key id lets a rotation find what to re-encrypt. */
export interface AtRestRecord {
  v: 1;
  kid: string;
  iv: string;
  ct: string;
}

export interface BuiltinStoreOptions {
  /** KV bucket name; defaults to `buckets.secrets` from @lading/contracts. */
  bucket?: string;
  /** Ciphers of earlier keys, so entries not yet rotated can still be read. */
  previousCiphers?: import('./at-rest-cipher.js').AtRestCipher[];
}

export type VaultAuth = { token: string } | { appRole: { roleId: string; secretId: string; mount?: string } };

export interface VaultStoreOptions {
  /** Vault address, e.g. `https://vault.example:8200`. */
  endpoint: string;
  /** KV v2 mount; default `secret`. */
  mount?: string;
  /** Vault Enterprise namespace, sent as X-Vault-Namespace. */
  namespace?: string;
  /** Field of the KV v2 secret holding the value; default `value`. */
  field?: string;
  auth: VaultAuth;
  /** Per-request timeout in milliseconds; default 10 000. */
  requestTimeoutMs?: number;
}

/** A CNAB value-mapping source: exactly one of these keys. */
export type ValueSource =
  | { secret: string }
  | { env: string }
  | { path: string }
  | { command: string }
  | { value: string };

export type { SourceKind } from './source-kinds.js';

export interface ResolveContext {
  /** Human label of the set, e.g. `credential set "prod/aws"`: used in error messages. */
  setLabel: string;
  /** Name of the entry being resolved: used in error messages. */
  entryName: string;
  /** The environment `env` sources read, and `command` sources run with; never process.env implicitly. */
  env: Record<string, string | undefined>;
  /** The store `secret` sources read. */
  store?: SecretStore;
  /** Timeout for `command` sources; default 10 000 ms. */
  commandTimeoutMs?: number;
  /** Working directory for `command` sources and relative `path` sources. */
  cwd?: string;
}
