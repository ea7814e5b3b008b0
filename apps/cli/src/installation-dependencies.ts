import { dependencyInstallationName, requiredBundles } from '@lading/cnab';
import { fetchBundle } from './bundle-fetch.js';

/** The installations of the bundles an installation's bundle requires, read from that bundle's bundle.json, for `installations show`. */
export async function installationDependencies(installation: string, bundleReference: string): Promise<Array<{ alias: string; installation: string; bundle: string }>> {
  const bundle = await fetchBundle(bundleReference, undefined);
  return requiredBundles(bundle).map(({ alias, bundle: reference }) => ({ alias, installation: dependencyInstallationName(installation, alias), bundle: reference }));
}
