/** The parsed, validated form of lading.yaml or porter.yaml. */

/** One entry of porter.yaml's `dependencies.requires`: a bundle installed before this one. */
export interface ManifestDependency {
  /** The alias: its installation is `<installation>-<alias>`, its outputs `bundle.dependencies.<alias>.outputs.X`. */
  name: string;
  /** The bundle as written (a tag or a digest); the build pins it to a digest. */
  reference: string;
  /** Values handed to the required bundle's parameters (`--param ALIAS#NAME=VALUE` overrides them). */
  parameters: Record<string, string>;
  /** What the build read from the required bundle, by digest. */
  resolved?: ResolvedDependency;
}

/** The required bundle as the build found it. */
export interface ResolvedDependency {
  /** `registry/repository@sha256:…` */
  reference: string;
  name: string;
  version: string;
  description?: string;
  /** Its outputs, by name, and whether each is sensitive. */
  outputs: Record<string, { sensitive: boolean }>;
  /** The names of its parameters. */
  parameters: string[];
}

export type ManifestDialect = 'lading' | 'porter';

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

export type ParameterType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'file';
export type ParameterValue = string | number | boolean | readonly unknown[] | Record<string, unknown>;

/** JSON-Schema keywords of a parameter or output (minimum, enum, pattern…), written to its bundle.json definition. */
export type SchemaKeywords = Record<string, unknown>;

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
  schema?: SchemaKeywords;
  /**
   * porter.yaml's `source.output`: when not given, the value is the installation's last recorded
   * output of that name; with `dependency`, the output of that required bundle's installation.
   */
  source?: { output: string; dependency?: string };
  /** porter.yaml's `persistent`: delivered at /cnab/app/NAME and kept in the output of the same name for every later action. */
  persistent?: boolean;
}

/** A porter.yaml `state` file: kept (in the secret store) after each run and put back at its path before the next. */
export interface ManifestState {
  name: string;
  /** Absolute, as read (a relative porter.yaml path is under /cnab/app). */
  path: string;
  description?: string;
}

export interface ManifestOutput {
  name: string;
  description?: string;
  sensitive: boolean;
  applyTo?: string[];
  type?: ParameterType;
  /** A file the bundle writes; copied to the output after the steps when no step produced it. */
  path?: string;
  schema?: SchemaKeywords;
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
  /** `asPath`: the file the value was delivered to, not its content (porter.yaml's meaning). */
  /** `field`: the keys into an object parameter's value (`config.name` → ["name"]), read when the step runs. */
  | { kind: 'parameter'; name: string; asPath?: boolean; field?: string[] }
  | { kind: 'credential'; name: string; asPath?: boolean }
  /** What an earlier step of the same run wrote to the output. */
  | { kind: 'output'; name: string }
  /**
   * The image as the bundle names it, or as relocated when the run has a relocation mapping;
   * its tag and description are the manifest's.
   */
  | { kind: 'image'; name: string; field: 'repository' | 'digest' | 'tag' | 'description' }
  | { kind: 'installation-name' }
  /** `bundle.dependencies.ALIAS.name` (or .version, .description): read from the required bundle's bundle.json at build. */
  | { kind: 'dependency'; dependency: string; field: 'name' | 'version' | 'description' };

/** An argument or flag value as parsed: a sequence of literal text and template references. */
export type TemplatedString = TemplatePart[];

/**
 * `jsonPath`: Porter's JSONPath over the step's standard output read as JSON; `program` is the
 * form the run script evaluates (see json-path.ts).
 * `groups`: keep the capture groups of every match, one a line, as Porter does (porter.yaml);
 * otherwise the whole matches (lading.yaml).
 */
export type StepOutput =
  | { name: string; regex: string; groups?: number }
  | { name: string; path: string }
  | { name: string; jsonPath: string; program: string }
  /** The step's whole standard output, kept rather than shown (what the kubernetes mixin keeps of `kubectl get`). */
  | { name: string; stdout: true };

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
  /**
   * The Porter mixin the step was translated from (a porter.yaml `kubernetes:` step becomes one
   * kubectl step per manifest and per output); the run script checks that the mixin's tool is on
   * the image's PATH and gives it what the mixin would.
   */
  mixin?: 'kubernetes';
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
  /** Where the bundle is published when the manifest says so (porter.yaml's reference); else registry/name:vversion. */
  reference?: string;
  /** Absent: the stack's default base image. */
  baseImage?: string;
  /** A Dockerfile template in the bundle directory (Porter's `dockerfile:`); its FROM is the base image. */
  dockerfile?: string;
  /** Which file it was read from; porter.yaml gives fields Porter's meanings. */
  dialect: ManifestDialect;
  credentials: ManifestCredential[];
  parameters: ManifestParameter[];
  outputs: ManifestOutput[];
  images: Record<string, ManifestImage>;
  customActions: Record<string, CustomAction>;
  /** porter.yaml's `dependencies.requires`, in order; absent when the bundle requires none. */
  dependencies?: ManifestDependency[];
  /** porter.yaml's state files; absent or empty when the bundle keeps none. */
  state?: ManifestState[];
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
