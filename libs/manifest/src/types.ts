/** The parsed, validated form of lading.yaml. */

export type BuiltInAction = 'install' | 'upgrade' | 'uninstall';

export interface ManifestCredential {
  name: string;
  description?: string;
  /** Environment variable the value is exported as inside the bundle's run script. */
  env?: string;
  /** File the value is readable at (a symlink into the secrets tmpfs). */
  path?: string;
  required: boolean;
  /** Actions that need the credential; absent means every action. */
  applyTo?: string[];
}

export type ParameterType = 'string' | 'integer' | 'number' | 'boolean';
export type ParameterValue = string | number | boolean;

export interface ManifestParameter {
  name: string;
  description?: string;
  type: ParameterType;
  default?: ParameterValue;
  env?: string;
  path?: string;
  sensitive: boolean;
  /** True when no default is given, unless the manifest says otherwise. */
  required: boolean;
  applyTo?: string[];
}

export interface ManifestOutput {
  name: string;
  description?: string;
  sensitive: boolean;
  applyTo?: string[];
}

export interface ManifestImage {
  repository: string;
  tag?: string;
  digest?: string;
  description?: string;
}

export interface CustomAction {
  description?: string;
  modifies: boolean;
  stateless: boolean;
}

/** A piece of an argument: literal text, or a value known only when the bundle runs. */
export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'parameter'; name: string }
  | { kind: 'credential'; name: string };

/** An argument or flag value as parsed: a sequence of literal text and template references. */
export type TemplatedString = TemplatePart[];

export type StepOutput = { name: string; regex: string } | { name: string; path: string };

export interface ExecFlag {
  name: string;
  /** Empty: the flag alone (`--verbose`). Several: the flag repeated once per value. */
  values: TemplatedString[];
}

export interface ExecStep {
  description?: string;
  command: string;
  arguments: TemplatedString[];
  flags: ExecFlag[];
  outputs: StepOutput[];
}

export interface ImageReference {
  repository: string;
  tag?: string;
  digest?: string;
}

export interface Manifest {
  schemaVersion: string;
  name: string;
  version: string;
  description?: string;
  registry: string;
  baseImage: string;
  credentials: ManifestCredential[];
  parameters: ManifestParameter[];
  outputs: ManifestOutput[];
  images: Record<string, ManifestImage>;
  customActions: Record<string, CustomAction>;
  /** Steps of every action the manifest declares: install always, upgrade/uninstall/custom when given. */
  actions: Record<string, ExecStep[]>;
}

export interface ResolvedImage {
  /** `repo@sha256:…` */
  reference: string;
  digest: string;
  mediaType?: string;
  size?: number;
}

/** What the builder learned from the registry; toBundleJson writes only digests. */
export interface ResolvedImages {
  baseImage: { reference: string; digest: string };
  images: Record<string, ResolvedImage>;
  invocationImage: Required<Pick<ResolvedImage, 'reference' | 'digest' | 'mediaType' | 'size'>>;
}
