import { ownValue, type Bundle, type Dependencies } from '@lading/contracts';

/** Key under bundle.json `custom` holding what Lading adds. */
export const LADING_EXTENSION_KEY = 'sh.lading';

/** bundle.json `custom` key of CNAB's dependencies extension: the bundles this one requires. */
export const DEPENDENCIES_EXTENSION = 'io.cnab.dependencies';

/** A required bundle as its parent's bundle.json names it. */
export interface RequiredBundle {
  alias: string;
  /** By digest when Lading built the parent. */
  bundle: string;
}

/** The bundles a bundle requires, in the order they run (`sequence`, else as written). */
export function requiredBundles(bundle: Bundle): RequiredBundle[] {
  const extension = bundle.custom?.[DEPENDENCIES_EXTENSION] as Dependencies | undefined;
  const requires = extension?.requires ?? {};
  const order = extension?.sequence?.length === Object.keys(requires).length ? extension.sequence : Object.keys(requires);
  return order.flatMap((alias) => {
    const required = ownValue(requires, alias);
    return required === undefined ? [] : [{ alias, bundle: required.bundle }];
  });
}

/** Porter's name for the installation of a required bundle: `<installation>-<alias>`. */
export const dependencyInstallationName = (installation: string, alias: string): string => `${installation}-${alias}`;

/** The parameter values a bundle hands the required bundle `alias` (Lading's key: CNAB's dependencies extension has no place for them). */
export function dependencyParameterDefaults(bundle: Bundle, alias: string): Record<string, string> {
  const custom = bundle.custom?.[LADING_EXTENSION_KEY] as { dependencyParameters?: Record<string, Record<string, string>> } | undefined;
  const all = custom?.dependencyParameters ?? {};
  return { ...ownValue(all, alias) };
}
