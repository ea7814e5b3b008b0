import { KUBECONFIG_PATH } from './constants.js';
import { shellQuote } from './shell.js';
import type { ExecStep } from './types.js';

/**
 * Lading cannot download kubectl at build as Porter's kubernetes mixin does (builds have no
 * internet, and nothing unpinned goes into an image): the invocation image must bring it, from its
 * base image or a dockerfile template. A step finding no kubectl says so in one sentence.
 */
export const kubectlMissing =
  'the kubernetes mixin runs kubectl, which is not on the PATH of this invocation image; build the bundle from a base image or a dockerfile template that installs kubectl';

/** Lines a mixin step starts with: its tool must be there. */
export function mixinGuardLines(step: ExecStep): string[] {
  if (step.mixin !== 'kubernetes') return [];
  return [`  command -v kubectl >/dev/null 2>&1 || { printf 'lading: %s\\n' ${shellQuote(kubectlMissing)} >&2; return 127; }`];
}

/** Assignments in front of a mixin step's command: kubectl reads Porter's kubeconfig path unless the bundle set KUBECONFIG. */
export function mixinEnvironment(step: ExecStep): string {
  return step.mixin === 'kubernetes' ? `KUBECONFIG="\${KUBECONFIG:-${KUBECONFIG_PATH}}" ` : '';
}
