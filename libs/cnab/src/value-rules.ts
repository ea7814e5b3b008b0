import { ownValue, type Bundle } from '@lading/contracts';

/**
 * Whether a credential, parameter or output applies to an action. CNAB: an absent or empty
 * `applyTo` means every action; otherwise only the actions it lists. The runner's needs, the
 * run script and every listing read it here.
 */
export function appliesTo(applyTo: readonly string[] | undefined, action: string): boolean {
  return applyTo === undefined || applyTo.length === 0 || applyTo.includes(action);
}

/** What a listing shows for `applyTo`: the actions, or `all`. */
export function appliesToText(applyTo: readonly string[] | undefined): string {
  return applyTo === undefined || applyTo.length === 0 ? 'all' : applyTo.join(',');
}

function isWriteOnly(bundle: Bundle, definitionName: string | undefined): boolean {
  const definition = definitionName === undefined ? undefined : ownValue(bundle.definitions, definitionName);
  return definition?.writeOnly === true;
}

/** A parameter is sensitive when its definition is `writeOnly`, as CNAB marks secrets. */
export function isSensitiveParameter(bundle: Bundle, name: string): boolean {
  return isWriteOnly(bundle, ownValue(bundle.parameters, name)?.definition);
}

/** An output is sensitive by the same mark on its definition. */
export function isSensitiveOutput(bundle: Bundle, name: string): boolean {
  return isWriteOnly(bundle, ownValue(bundle.outputs, name)?.definition);
}
