/** Where the runner mounts the tmpfs that file-delivered values are written to. */
export const SECRETS_DIR = '/cnab/secrets';
/** Where a bundle writes its outputs (CNAB requires /cnab/app/outputs). */
export const OUTPUTS_DIR = '/cnab/app/outputs';
export const APP_DIR = '/cnab/app';
export const RUN_SCRIPT_PATH = '/cnab/app/run';
/**
 * Where the image keeps the bundle's files and the run script, read-only: the run script copies the
 * files into /cnab/app when it starts (a writable tmpfs under Lading's runner), and is the
 * entry point; /cnab/app/run links to it, as CNAB asks.
 */
export const IMAGE_APP_DIR = '/cnab/lading/app';
export const ENTRYPOINT_PATH = '/cnab/lading/run';
/** Marks an image whose run script makes that copy, so the runner gives it a writable tmpfs at /cnab/app. */
export const WRITABLE_APP_LABEL = 'sh.lading.writable-app';
/** uid and gid every bundle runs as; the runner enforces it whatever the image says. */
export const BUNDLE_UID = 65532;
export const RUNTIME_USER = `${BUNDLE_UID}:${BUNDLE_UID}` as const;
export const MANIFEST_FILE_NAME = 'lading.yaml';
export const MANIFEST_SCHEMA_VERSION = '1.0.0';
/** Key under bundle.json `custom` holding what Lading adds (defined with the other bundle.json keys, in @lading/cnab). */
export { LADING_EXTENSION_KEY as CUSTOM_EXTENSION_KEY } from '@lading/cnab';
export const builtInActions = ['install', 'upgrade', 'uninstall'] as const;

/**
 * Layout of the Docker build context renderDockerfile expects: the bundle directory's files under
 * `app/` and the generated run script as `run`.
 */
export const BUILD_CONTEXT_APP_DIR = 'app';
export const BUILD_CONTEXT_RUN_SCRIPT = 'run';

/** Exit status of the run script when its input or the requested action is wrong. */
export const RUN_SCRIPT_USAGE_EXIT = 64;

/**
 * porter.yaml state files live on the /cnab/app tmpfs: a state path elsewhere (the root file
 * system is read-only) is a link into this directory, which the build context can never hold.
 */
export const STATE_DIR = '/cnab/app/.lading/state';
/** The parameter and output an installation's state files travel in, as Porter names them. */
export const STATE_VALUE_NAME = 'porter-state';

/**
 * Where kubectl reads its kubeconfig in a kubernetes mixin step unless the step names one or the
 * bundle sets KUBECONFIG: Porter's convention, `~/.kube/config` of its nonroot user. A bundle
 * declares a `kubeconfig` credential with this path; Lading links the path to the run's secrets
 * tmpfs (the image's HOME is /tmp, so kubectl would not look there by itself).
 */
export const KUBECONFIG_PATH = '/home/nonroot/.kube/config';
