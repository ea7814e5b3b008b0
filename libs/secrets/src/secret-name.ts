import { SecretStoreError } from './errors.js';

// Slash-separated segments, each starting with a letter or digit: no absolute paths, no "." or
// ".." segments, no empty segments, nothing a KV key or a Vault path would read differently.
const SEGMENT = '[A-Za-z0-9][A-Za-z0-9_.-]*';
const NAME = new RegExp(`^${SEGMENT}(/${SEGMENT})*$`);
const MAX_LENGTH = 256;

export function assertSecretName(name: string): void {
  if (typeof name !== 'string' || name.length > MAX_LENGTH || !NAME.test(name) || name.includes('..') || /\.(\/|$)/.test(name)) {
    throw new SecretStoreError(
      `Secret name ${JSON.stringify(String(name).slice(0, 80))} is not allowed: use letters, digits, ".", "_", "-" and "/" between segments, each starting with a letter or digit`,
    );
  }
}

const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Where a run's sensitive parameter or output lives in the store: deterministic and safe. */
export function runScopedSecretName(runId: string, kind: 'param' | 'output', name: string): string {
  if (!RUN_ID.test(runId)) {
    throw new SecretStoreError(`Run id ${JSON.stringify(runId.slice(0, 80))} is not allowed in a secret name: use letters, digits, "_" or "-"`);
  }
  if (kind !== 'param' && kind !== 'output') {
    throw new SecretStoreError(`Run-scoped secret kind must be "param" or "output", not ${JSON.stringify(kind)}`);
  }
  if (name.includes('/')) {
    throw new SecretStoreError(`${kind === 'param' ? 'Parameter' : 'Output'} name ${JSON.stringify(name.slice(0, 80))} must not contain "/"`);
  }
  const scoped = `run.${runId}.${kind}.${name}`;
  assertSecretName(scoped);
  return scoped;
}
