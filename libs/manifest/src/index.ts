// The bundle manifest (lading.yaml, or a porter.yaml of the subset Lading reads): parsing it with
// one clear sentence per problem, scaffolding one, and what a bundle is made from it (bundle.json,
// the Dockerfile, the run script and the protocol its frames follow). The parts its tests drive one
// by one are in ./internal.ts (`@lading/manifest/internal`).
export type { Manifest, ResolvedDependency } from './types.js';
export {
  SECRETS_DIR,
  OUTPUTS_DIR,
  APP_DIR,
  WRITABLE_APP_LABEL,
  BUNDLE_UID,
  RUNTIME_USER,
  MANIFEST_FILE_NAME,
} from './constants.js';
export { ManifestError } from './errors.js';
export { parseManifest } from './parse.js';
export { formatImageReference } from './image-reference.js';
export { bundleTag } from './bundle-tag.js';
export { toBundleJson } from './bundle-json.js';
export { applyResolvedDependencies } from './resolved-dependencies.js';
export { renderRunScript } from './run-script.js';
export {
  encodeRunInput,
  frameShapes,
  parseFrameBody,
  RunInputError,
  takesTraceContext,
  type RunInput,
} from './run-protocol.js';
export { renderDockerfile } from './dockerfile.js';
export {
  DockerfileTemplateError,
  templateBuildArgs,
  templateImages,
  type TemplateImage,
} from './dockerfile-template.js';
export { scaffoldFiles } from './scaffold.js';
export { PORTER_MANIFEST_FILE_NAME, manifestFileNames } from './dialect.js';
export { overrideDestination, type DestinationOverride } from './destination.js';
export { RELOCATION_MAPPING_PATH } from './run-script.js';
export { scaffoldPorterFiles } from './porter-scaffold.js';
