export type {
  Manifest,
  ManifestCredential,
  ManifestParameter,
  ManifestOutput,
  ManifestState,
  ManifestImage,
  ManifestDependency,
  ResolvedDependency,
  CustomAction,
  ExecStep,
  ExecFlag,
  StepOutput,
  TemplatePart,
  TemplatedString,
  ParameterType,
  ParameterValue,
  BuiltInAction,
  ImageReference,
  ResolvedImage,
  ResolvedImages,
} from './types.js';
export {
  SECRETS_DIR,
  OUTPUTS_DIR,
  APP_DIR,
  RUN_SCRIPT_PATH,
  IMAGE_APP_DIR,
  ENTRYPOINT_PATH,
  WRITABLE_APP_LABEL,
  BUNDLE_UID,
  RUNTIME_USER,
  MANIFEST_FILE_NAME,
  MANIFEST_SCHEMA_VERSION,
  CUSTOM_EXTENSION_KEY,
  BUILD_CONTEXT_APP_DIR,
  BUILD_CONTEXT_RUN_SCRIPT,
  RUN_SCRIPT_USAGE_EXIT,
  builtInActions,
} from './constants.js';
export { ManifestError } from './errors.js';
export { parseManifest } from './parse.js';
export { parseImageReference, formatImageReference } from './image-reference.js';
export { bundleTag } from './bundle-tag.js';
export { toBundleJson } from './bundle-json.js';
export { applyResolvedDependencies } from './resolved-dependencies.js';
export { renderRunScript } from './run-script.js';
export {
  encodeRunInput,
  frameShapes,
  isOutputNonce,
  nonceDigits,
  parseFrameBody,
  parseOutputFrame,
  RunInputError,
  takesTraceContext,
  type RunFrame,
  type RunInput,
} from './run-protocol.js';
export { renderDockerfile, type DockerfileOptions } from './dockerfile.js';
export { DockerfileTemplateError, templateBuildArgs, templateImages, type TemplateImage } from './dockerfile-template.js';
export { scaffoldManifest, scaffoldFiles, type ScaffoldOptions } from './scaffold.js';
export { shellQuote } from './shell.js';
export { PORTER_MANIFEST_FILE_NAME, manifestFileNames, dialectOf, porterEnvName } from './dialect.js';
export { overrideDestination, type DestinationOverride } from './destination.js';
export { RELOCATION_MAPPING_PATH, type RunScriptOptions } from './run-script.js';
export type { ManifestProblem } from './errors.js';
export type { ManifestDialect, SchemaKeywords } from './types.js';
export { scaffoldPorterFiles, type PorterScaffoldOptions } from './porter-scaffold.js';
