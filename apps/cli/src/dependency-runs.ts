/**
 * Porter's dependencies v1, orchestrated by the `lading` command: the same action runs on each
 * required bundle's installation (`<installation>-<alias>`) before the parent for install,
 * upgrade and invoke, and after it, in reverse order, for uninstall.
 *
 * Why the CLI and not a service: each of these runs is then an ordinary run that the broker
 * admits for the caller's own principal, in the caller's namespace, with the caller's sets, so a
 * dependency can do nothing its user could not do by hand; a service issuing them would need a
 * standing right to act for every principal, which no Lading service has. What the CLI passes
 * along is names and the parent's plain parameter values: a dependency's outputs, sensitive ones
 * included, reach the parent's run through the broker, which reads them in the run's namespace
 * when it grants the lease, and never through this process.
 */
import type { Bundle } from '@lading/contracts';
// The light entry: the CNAB library's index would bring its JSON Schema validator into every run's start-up.
import { DEPENDENCIES_EXTENSION, dependencyInstallationName, dependencyParameterDefaults, requiredBundles, type RequiredBundle } from '@lading/cnab/dependencies';
import { endpoints, ownRecord, ownValue } from '@lading/contracts';
import { readBundleDocuments } from '@lading/oci';
import { callEndpoint, RemoteFailure } from '@lading/service-kit/client';
import { bundleLocation, bundleReadFailure } from './bundle-source.js';
import { paramName } from './param-name.js';
import { withSession } from './session.js';
import { UserError } from './user-error.js';

/** A required bundle, with the installation it runs as and the values it is handed. */
export interface DependencyRun extends RequiredBundle {
  installation: string;
  parameters: Record<string, string>;
}

/** Whether a `--param` pair is Porter's `ALIAS#NAME=VALUE` form: a `#` before any `=`. */
export function namesDependency(pair: string): boolean {
  const hash = pair.indexOf('#');
  const equals = pair.indexOf('=');
  return hash > 0 && (equals === -1 || equals > hash);
}

/**
 * Porter's `--param ALIAS#NAME=VALUE`: a value for a required bundle's parameter. Returns the
 * parent's own pairs and, per alias, the values for that bundle; an alias the bundle does not
 * require is refused.
 */
export function splitDependencyParams(pairs: string[], aliases: string[]): { own: string[]; byAlias: Record<string, Record<string, string>> } {
  const own: string[] = [];
  const byAlias = ownRecord<Record<string, string>>();
  for (const pair of pairs) {
    if (!namesDependency(pair)) {
      own.push(pair);
      continue;
    }
    const hash = pair.indexOf('#');
    const equals = pair.indexOf('=');
    const alias = pair.slice(0, hash);
    if (!aliases.includes(alias)) {
      throw new UserError(`--param ${pair.slice(0, equals === -1 ? undefined : equals)} names dependency ${alias}, which the bundle does not require${aliases.length > 0 ? `; it requires ${aliases.join(', ')}` : ''}`);
    }
    const rest = pair.slice(hash + 1);
    const split = rest.indexOf('=');
    if (split <= 0) throw new UserError(`--param ${pair} must be ALIAS#NAME=VALUE`);
    byAlias[alias] = ownRecord([...Object.entries(ownValue(byAlias, alias) ?? {}), [paramName(rest.slice(0, split), pair.slice(0, hash + 1 + split)), rest.slice(split + 1)]]);
  }
  return { own, byAlias };
}

/**
 * The bundle the action runs: the one named now (pinned by digest), else the one the
 * installation's record names. Undefined when there is neither (the broker then says why).
 */
export async function bundleOfRun(installation: string, namespace: string, pinned: string | undefined): Promise<Bundle | undefined> {
  const reference =
    pinned ??
    (await withSession(({ nc }) => callEndpoint(nc, endpoints.installationsShow, { name: installation, namespace })).then(
      (reply) => reply.installation.bundleReference,
      (error: unknown) => {
        if (error instanceof RemoteFailure && error.code === 'not_found') return undefined;
        throw error;
      },
    ));
  return reference === undefined ? undefined : await bundleRequiringOthers(reference);
}

/** Whether a bundle.json holds CNAB's dependencies extension, read without validating the rest. */
function requiresOthers(bundle: Record<string, unknown>): boolean {
  const custom = bundle.custom;
  return typeof custom === 'object' && custom !== null && Object.hasOwn(custom, DEPENDENCIES_EXTENSION);
}

/**
 * The bundle a run names when it requires others, validated whole; undefined when it requires
 * none. Most bundles require none: for them the JSON Schema validator (and its start-up time) is
 * never loaded, and the broker validates the bundle when it admits the run, as for every run.
 */
async function bundleRequiringOthers(reference: string): Promise<Bundle | undefined> {
  const { client, repository, wanted } = bundleLocation(reference);
  // Its documents only: whether its invocation image is still there the broker checks when it admits the run.
  const raw = await readBundleDocuments(client, repository, wanted).then(
    (pulled) => pulled.bundle,
    (error: unknown) => bundleReadFailure(reference, error),
  );
  if (!requiresOthers(raw)) return undefined;
  // What was read is validated, not read again.
  return (await import('./bundle-fetch.js')).validatedBundle(reference, raw);
}

/** Each required bundle of `bundle`, in the order it installs, with its installation name and values (the manifest's, then `--param ALIAS#NAME=VALUE`). */
export function dependencyRuns(bundle: Bundle | undefined, installation: string, overrides: Record<string, Record<string, string>>): DependencyRun[] {
  if (bundle === undefined) return [];
  return requiredBundles(bundle).map((required) => ({
    ...required,
    installation: dependencyInstallationName(installation, required.alias),
    parameters: { ...dependencyParameterDefaults(bundle, required.alias), ...ownValue(overrides, required.alias) },
  }));
}
