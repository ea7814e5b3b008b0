import type { Readable } from 'node:stream';

/** A parsed image reference; the registry host is always explicit. */
export interface ImageReference {
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** An OCI content descriptor, as found in manifests and indexes. */
export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly platform?: Readonly<Record<string, unknown>>;
  readonly artifactType?: string;
  readonly urls?: readonly string[];
}

export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

export interface RegistryClientOptions {
  /** host[:port] of the registry, e.g. `127.0.0.1:5000`. */
  readonly registry: string;
  /** Talk plain http. Defaults to true for loopback hosts and false for every other host. */
  readonly insecure?: boolean;
  readonly credentials?: RegistryCredentials;
  /**
   * When given, the only hosts (host[:port]) besides the registry itself that this client contacts
   * — a Bearer token realm on any other host is refused. Services set it from the operator's
   * allowed registries; redirects to another host are never followed either way.
   */
  readonly allowedHosts?: readonly string[];
}

/** What a HEAD on a manifest tells without downloading it. */
export interface ManifestHead {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
}

export interface FetchedManifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly body: Buffer;
}

/** A blob source: bytes in memory, or a stream read once and never held whole in memory. */
export type BlobSource = Buffer | Readable;

export interface BlobUploadOptions {
  /** Expected digest; when omitted the digest is computed while streaming and returned. */
  readonly digest?: string;
  /** Expected size in bytes; checked after the upload. */
  readonly size?: number;
  /** For streams: bytes per PATCH request. Defaults to one PATCH for the whole stream. */
  readonly chunkSize?: number;
}

export interface UploadedBlob {
  readonly digest: string;
  readonly size: number;
}

/** An OCI image manifest, image index, or their Docker equivalents (only the fields Lading reads). */
export interface ManifestDocument {
  readonly schemaVersion: number;
  readonly mediaType?: string;
  readonly artifactType?: string;
  readonly config?: Descriptor;
  readonly layers?: readonly Descriptor[];
  readonly manifests?: readonly Descriptor[];
  readonly subject?: Descriptor;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface BundleIndex extends FetchedManifest {
  /** The config manifest that carries bundle.json as its config blob. */
  readonly configManifest: Descriptor;
}

export interface PulledBundle {
  readonly bundle: Record<string, unknown>;
  readonly indexDigest: string;
  readonly invocationImage: Descriptor;
  readonly configManifest: Descriptor;
}

export interface PrepareBundleOptions {
  /** CNAB runtime version written as `io.cnab.runtime_version`; defaults to the bundle's schemaVersion or v1.2.0. */
  readonly runtimeVersion?: string;
  /** Images bundle.json names under `images`, already in the bundle's repository: listed in the index by name and digest. */
  readonly components?: Readonly<Record<string, ManifestHead>>;
}
