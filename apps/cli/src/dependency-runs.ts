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
import { bundleNeeds, declaresAction, dependencyInstallationName, dependencyParameterDefaults, requiredBundles, type Bundle, type RequiredBundle } from '@lading/cnab';
import { endpoints } from '@lading/contracts';
import { callEndpoint, RemoteFailure } from '@lading/service-kit/client';
import { fetchBundle } from './bundle-source.js';
import { withSession } from './session.js';
import { UserError } from './user-error.js';

/** A required bundle, with the installation it runs as and the values it is handed. */
export interface DependencyRun extends RequiredBundle {
  installation: string;
  parameters: Record<string, string>;
}

/**
 * Porter's `--param ALIAS#NAME=VALUE`: a value for a required bundle's parameter. Returns the
 * parent's own pairs and, per alias, the values for that bundle; an alias the bundle does not
 * require is refused.
 */
export function splitDependencyParams(pairs: string[], aliases: string[]): { own: string[]; byAlias: Record<string, Record<string, string>> } {
  const own: string[] = [];
  const byAlias: Record<string, Record<string, string>> = {};
  for (const pair of pairs) {
    const hash = pair.indexOf('#');
    const equals = pair.indexOf('=');
    if (hash <= 0 || (equals !== -1 && equals < hash)) {
      own.push(pair);
      continue;
    }
    const alias = pair.slice(0, hash);
    if (!aliases.includes(alias)) {
      throw new UserError(`--param ${pair.slice(0, equals === -1 ? undefined : equals)} names dependency ${alias}, which the bundle does not require${aliases.length > 0 ? `; it requires ${aliases.join(', ')}` : ''}`);
    }
    const rest = pair.slice(hash + 1);
    const split = rest.indexOf('=');
    if (split <= 0) throw new UserError(`--param ${pair} must be ALIAS#NAME=VALUE`);
    byAlias[alias] = { ...byAlias[alias], [rest.slice(0, split)]: rest.slice(split + 1) };
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
  return reference === undefined ? undefined : await fetchBundle(reference, undefined);
}

/** Each required bundle of `bundle`, in the order it installs, with its installation name and values (the manifest's, then `--param ALIAS#NAME=VALUE`). */
export function dependencyRuns(bundle: Bundle | undefined, installation: string, overrides: Record<string, Record<string, string>>): DependencyRun[] {
  if (bundle === undefined) return [];
  return requiredBundles(bundle).map((required) => ({
    ...required,
    installation: dependencyInstallationName(installation, required.alias),
    parameters: { ...dependencyParameterDefaults(bundle, required.alias), ...overrides[required.alias] },
  }));
}

/**
 * What a required bundle's run of `action` takes: whether its bundle has the action at all (a
 * custom one it lacks is passed over), and the values it is handed that the action takes (the
 * manifest hands a bundle its values for every action it runs). Uninstall runs the bundle its
 * installation recorded and takes only what is given now.
 */
export async function dependencyAction(dependency: DependencyRun, action: string, given: Record<string, Record<string, string>>): Promise<{ runs: boolean; parameters: Record<string, string> }> {
  if (action === 'uninstall') return { runs: true, parameters: { ...given[dependency.alias] } };
  const bundle = await fetchBundle(dependency.bundle, undefined);
  if (!declaresAction(bundle, action)) return { runs: false, parameters: {} };
  const taken = new Set(bundleNeeds(bundle, action).parameters.map(({ name }) => name));
  return { runs: true, parameters: Object.fromEntries(Object.entries(dependency.parameters).filter(([name]) => taken.has(name))) };
}
