import { APP_DIR, ENTRYPOINT_PATH, OUTPUTS_DIR, RUN_SCRIPT_PATH, SECRETS_DIR } from './constants.js';

/** The image's own read-only copy of the bundle and its run script. */
const imageDir = ENTRYPOINT_PATH.slice(0, ENTRYPOINT_PATH.lastIndexOf('/'));

export const bundleNamePattern = /^[a-z0-9][a-z0-9-]{0,62}$/;
/**
 * Names of credentials, parameters and outputs: they become file names, secret names and template
 * keys. Dots are allowed, as Porter allows them (`users.json`), but never two in a row or one at
 * the end, so a name is never `.`, `..` or a path trick.
 */
export const valueNamePattern = /^[A-Za-z0-9](?:[A-Za-z0-9_-]|\.(?=[A-Za-z0-9_-])){0,62}$/;
export const valueNameProblem = 'must be 1-63 letters, digits, _, - or ., starting with a letter or digit, with no two dots in a row and none at the end';
export const actionNamePattern = /^[a-z][a-z0-9-]{0,62}$/;
export const imageNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
export const envNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const flagNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
// semver.org's grammar, without a leading "v": the bundle tag adds that.
export const semverPattern =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

// Variables the run script or the shell itself depends on; a bundle value must not replace them.
const reservedEnvNames = new Set([
  'PATH', 'HOME', 'IFS', 'PWD', 'OLDPWD', 'ENV', 'CDPATH', 'PS1', 'PS2', 'PS4', 'SHELL', 'USER',
  'LD_PRELOAD', 'LD_LIBRARY_PATH', 'LD_AUDIT', 'OPTIND', 'OPTARG', 'PPID', 'LINENO', 'HOSTNAME', 'TMPDIR',
]);

export function envNameProblem(name: string): string | undefined {
  if (!envNamePattern.test(name)) return 'must be a valid environment variable name (letters, digits and _, not starting with a digit)';
  if (reservedEnvNames.has(name) || /^lading_/i.test(name)) {
    return `must not be ${name}: the run script and the shell rely on it; choose another name`;
  }
  return undefined;
}

const pathCharacters = /^[A-Za-z0-9._@+=,:/-]+$/;

/** Problems with an absolute file path inside the invocation image. */
export function pathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'must be an absolute path';
  if (!pathCharacters.test(path)) return 'may only contain letters, digits and . _ @ + = , : / -';
  const segments = path.split('/').slice(1);
  if (segments.some((s) => s === '..' || s === '.')) return 'must not contain "." or ".." segments';
  if (segments.some((s) => s === '') || path === '/') return 'must name a file, without empty segments or a trailing /';
  return undefined;
}

const isUnder = (path: string, dir: string): boolean => path === dir || path.startsWith(`${dir}/`);

/** A credential or parameter file must live outside the bundle's own tree and the secrets mount. */
export function deliveryPathProblem(path: string): string | undefined {
  const problem = pathProblem(path);
  if (problem !== undefined) return problem;
  for (const dir of [APP_DIR, SECRETS_DIR, imageDir, '/proc', '/sys', '/dev']) {
    if (isUnder(path, dir)) return `must not be under ${dir}`;
  }
  if (path === '/cnab' || path === '/tmp') return 'must name a file, not a directory the image relies on';
  return undefined;
}

/**
 * porter.yaml may deliver a value inside the bundle's own tree, as Porter does, but never over
 * the run script, the outputs directory or the secrets mount.
 */
export function porterDeliveryPathProblem(path: string): string | undefined {
  const problem = pathProblem(path);
  if (problem !== undefined) return problem;
  for (const dir of [SECRETS_DIR, OUTPUTS_DIR, imageDir, '/proc', '/sys', '/dev']) {
    if (isUnder(path, dir)) return `must not be under ${dir}`;
  }
  if (path === RUN_SCRIPT_PATH) return `must not be ${RUN_SCRIPT_PATH}, the bundle's entry point`;
  if (path === '/cnab' || path === '/tmp' || path === APP_DIR) return 'must name a file, not a directory the image relies on';
  return undefined;
}

/** Porter bundle names may have path segments (examples/porter-hello), as repository names do. */
export const porterBundleNamePattern = /^[a-z0-9][a-z0-9-]{0,62}(\/[a-z0-9][a-z0-9._-]{0,62})*$/;
