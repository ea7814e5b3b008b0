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

type SetKind = 'credentials' | 'parameters';

/** Where a set's literal value lives in the store; records name it, never the value. */
export function setValueSecretName(kind: SetKind, namespace: string, set: string, entry: string): string {
  return `set.${kind}.${namespace || '_'}.${set}.${entry}`;
}

/**
 * Where a namespace's secret lives in the store: `team-a/token` in namespace `team-a`, the bare
 * name in the default namespace. `lading secrets` and `secret:` sources both name secrets so.
 */
export function namespacedSecretName(namespace: string, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** The namespace a stored secret name belongs to, and its name there; undefined for derived names. */
export function secretNamespaceOf(stored: string): { namespace: string; name: string } | undefined {
  if (derivedPrefixes.some((prefix) => stored.startsWith(prefix))) return undefined;
  const slash = stored.indexOf('/');
  return slash < 0 ? { namespace: '', name: stored } : { namespace: stored.slice(0, slash), name: stored.slice(slash + 1) };
}

/**
 * Where the broker keeps the parameter values an installation's successful runs used, which its
 * later actions reuse when not given again; gone when the installation is deleted.
 */
export function installationValuesSecretName(namespace: string, installation: string): string {
  const named = `installation.${namespace || '_'}.${installation}.parameters`;
  assertSecretName(named);
  return named;
}

/** Prefixes of names only the broker derives (set values, run-scoped and installation values): no set may name them. */
const derivedPrefixes = ['set.', 'run.', 'installation.'];

/**
 * Why a person may not store or delete a secret under `name`, or undefined when they may: the
 * broker's own names (a set's literal values, a run's sensitive outputs, an installation's
 * remembered values) are never written or deleted through the secrets endpoints, so nobody can
 * forge or erase what a run or an installation later reads.
 */
export function reservedSecretNameProblem(name: string): string | undefined {
  const prefix = derivedPrefixes.find((candidate) => name.startsWith(candidate));
  return prefix === undefined ? undefined : `the secret name ${JSON.stringify(name.slice(0, 80))} is reserved: names starting with "${prefix}" are kept by Lading itself; choose another name`;
}

/**
 * The store name a `secret:` source of a set reads. Names are confined to the set's namespace:
 * in namespace `team-a`, `secret: token` reads `team-a/token`; in the default namespace a name
 * with "/" (another namespace's) is refused. A name the broker derives is accepted only when
 * it is this very entry's own moved value. Returns undefined for a name the set may not read.
 */
export function secretSourceName(ref: string, set: { kind: SetKind; namespace: string; name: string; entry: string }): string | undefined {
  if (derivedPrefixes.some((prefix) => ref.startsWith(prefix))) {
    return ref === setValueSecretName(set.kind, set.namespace, set.name, set.entry) ? ref : undefined;
  }
  if (set.namespace) return namespacedSecretName(set.namespace, ref);
  return ref.includes('/') ? undefined : ref;
}
