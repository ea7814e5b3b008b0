import { z } from 'zod';

/**
 * Records of the CNAB documents Lading reads and writes, following the JSON Schemas vendored in
 * libs/cnab/schema. Extension fields the schemas allow are typed loosely (`custom`, `definitions`).
 *
 * Why here and not in @lading/cnab: the documents cross service seams inside messages, and the
 * messages are declared in contracts; cnab depends on contracts (for its coded errors), so contracts
 * cannot import cnab without a cycle. The types live here, with the messages that carry them; the
 * JSON-Schema validators (ajv and the vendored schemas) stay in cnab, and every service that
 * receives a document validates it there (see ./document-schema.ts).
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON Schema (draft-07) fragment, as bundle.json `definitions` holds them. */
export type JsonSchemaDefinition = { [key: string]: unknown };

export interface BundleImage {
  image: string;
  contentDigest?: string;
  description?: string;
  imageType?: string;
  labels?: Record<string, string>;
  mediaType?: string;
  size?: number;
}

export type InvocationImage = Omit<BundleImage, 'description'>;

export interface BundleCredential {
  description?: string;
  applyTo?: string[];
  env?: string;
  path?: string;
  required?: boolean;
}

export interface BundleParameter {
  definition: string;
  destination: { env?: string; path?: string };
  applyTo?: string[];
  description?: string;
  required?: boolean;
}

export interface BundleOutput {
  definition: string;
  path: string;
  applyTo?: string[];
  description?: string;
}

export interface BundleAction {
  description?: string;
  title?: string;
  modifies?: boolean;
  stateless?: boolean;
}

export interface BundleMaintainer {
  name: string;
  email?: string;
  url?: string;
}

/** bundle.json */
export interface Bundle {
  schemaVersion: string;
  name: string;
  version: string;
  invocationImages: InvocationImage[];
  description?: string;
  keywords?: string[];
  license?: string;
  maintainers?: BundleMaintainer[];
  images?: Record<string, BundleImage>;
  actions?: Record<string, BundleAction>;
  credentials?: Record<string, BundleCredential>;
  parameters?: Record<string, BundleParameter>;
  outputs?: Record<string, BundleOutput>;
  definitions?: Record<string, JsonSchemaDefinition>;
  custom?: Record<string, unknown>;
  requiredExtensions?: string[];
}

/** A claim: the record of one run of an action against an installation. */
export interface Claim {
  id: string;
  installation: string;
  namespace?: string;
  action: string;
  bundle: Bundle;
  bundleReference?: string;
  created: string;
  revision: string;
  /** Non-sensitive values only: a sensitive parameter is recorded as a reference string. */
  parameters?: Record<string, unknown>;
  custom?: unknown;
}

/** Status values as claim-result.schema.json spells them. */
export const claimStatusSchema = z.enum(['canceled', 'failed', 'succeeded', 'pending', 'running', 'unknown']);
export const claimStatuses = claimStatusSchema.options;
export type ClaimStatus = z.infer<typeof claimStatusSchema>;
/** Each claim status by name (`claimStatus.succeeded`), so code never spells one as a literal. */
export const claimStatus = claimStatusSchema.enum;

export interface ClaimResultOutput {
  contentDigest?: string;
  [key: string]: unknown;
}

/** The result of a claim: its status and the outputs it produced (digests, never values). */
export interface ClaimResult {
  id: string;
  claimId: string;
  created: string;
  status: ClaimStatus;
  message?: string;
  outputs?: Record<string, ClaimResultOutput>;
  custom?: unknown;
}

/** Where a credential or parameter value comes from on the host or in a secret store. */
export interface ValueSource {
  command?: string;
  env?: string;
  path?: string;
  secret?: string;
  value?: string;
  [key: string]: unknown;
}

export interface ValueMapping {
  name: string;
  source: ValueSource;
}

interface ValueSetCommon {
  schemaVersion: string;
  name: string;
  namespace?: string;
  created: string;
  modified: string;
  labels?: Record<string, string>;
  custom?: Record<string, unknown>;
}

export interface CredentialSet extends ValueSetCommon {
  credentials: ValueMapping[];
}

export interface ParameterSet extends ValueSetCommon {
  parameters: ValueMapping[];
}

export interface Installation {
  schemaVersion: string;
  name: string;
  namespace?: string;
  bundleRepository: string;
  bundleVersion: unknown;
  created: string;
  labels?: Record<string, string>;
  custom?: unknown;
}

/** Relocation mapping: original image reference → relocated reference. */
export type RelocationMapping = Record<string, string>;

export interface StatusComponent {
  status?: string;
  message?: string;
  components?: Record<string, StatusComponent>;
  [key: string]: unknown;
}

export type BundleStatus = StatusComponent;

export interface Dependencies {
  /** The order the required bundles run in (Porter writes it beside `requires`). */
  sequence?: string[];
  requires?: Record<string, { bundle: string; version?: { ranges?: string[]; prereleases?: boolean } }>;
}

export type ParameterSources = Record<
  string,
  {
    priority?: string[];
    sources?: {
      output?: { name: string };
      /** Porter's source for an output of a required bundle's installation. */
      'dependencies.output'?: { dependency: string; name: string };
    };
  }
>;

/** The kinds of document the validators know, named as in error messages. */
export type CnabDocumentKind =
  | 'bundle'
  | 'claim'
  | 'claim result'
  | 'credential set'
  | 'parameter set'
  | 'installation'
  | 'relocation mapping'
  | 'status'
  | 'dependencies'
  | 'parameter sources';

export interface CnabProblem {
  /** JSON path of the offending value, like `invocationImages[0].image`; `(root)` for the document. */
  path: string;
  message: string;
}
