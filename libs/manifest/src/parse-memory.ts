/**
 * What a porter.yaml installation remembers between runs: parameters whose value comes from an
 * earlier output (`source.output`), `persistent` parameters (Porter's short form of the same),
 * and `state` files.
 */
import { APP_DIR, builtInActions, STATE_DIR, STATE_VALUE_NAME } from './constants.js';
import { matching, type Context, type Declared } from './parse-context.js';
import { porterDeliveryPathProblem, valueNamePattern, valueNameProblem } from './rules.js';
import type { ManifestOutput, ManifestParameter, ManifestState } from './types.js';
import type { Located, MapView } from './yaml-reader.js';

/** A relative porter.yaml path is under /cnab/app, as Porter resolves it. */
export const resolvePorterPath = (path: string): string => (path.startsWith('/') ? path : `${APP_DIR}/${path.replace(/^\.\//, '')}`);

const customActionsOf = (ctx: Context): string[] => [...ctx.actions].filter((action) => !(builtInActions as readonly string[]).includes(action));

/** Porter: the actions after install, where an earlier output can exist (upgrade only when declared). */
function laterActions(ctx: Context): string[] {
  return ['uninstall', ...(ctx.actions.has('upgrade') ? ['upgrade'] : []), ...customActionsOf(ctx)].sort();
}

/** `source: { output: NAME }`, or `{ dependency: ALIAS, output: NAME }`: an output of a required bundle's installation. */
export function parameterSource(ctx: Context, entry: MapView): { output: string; dependency?: string } | undefined {
  const value = entry.get('source');
  if (value === undefined) return undefined;
  const source = ctx.reader.map(value);
  source.refuseUnknown(['output', 'dependency']);
  const output = matching(ctx, source.require('output'), valueNamePattern, valueNameProblem);
  const dependency = source.optionalString('dependency');
  return dependency === undefined ? { output } : { output, dependency };
}

/**
 * `persistent: true` as Porter expands it: delivered at /cnab/app/NAME, given on install, kept as
 * an output of the same name and read back from it by every later action. Porter refuses it
 * together with a destination, a source or applyTo.
 */
export function persistentParameter(ctx: Context, entry: MapView, name: string): { path: string; source: { output: string }; applyTo: string[] } | undefined {
  if (!entry.optionalBoolean('persistent', false)) return undefined;
  for (const field of ['env', 'path', 'source', 'applyTo']) {
    const value = entry.get(field);
    if (value !== undefined) ctx.reader.fail(value.at, value.path, 'cannot be combined with persistent: a persistent parameter is delivered at /cnab/app/<name> and kept for every action; remove one of them');
  }
  const path = `${APP_DIR}/${name}`;
  const problem = porterDeliveryPathProblem(path);
  if (problem !== undefined) ctx.reader.fail(entry.node, entry.path, `is persistent, so it would be delivered at ${path}, which ${problem}; rename it`);
  return { path, source: { output: name }, applyTo: ['install', ...laterActions(ctx)].sort() };
}

/** Porter: an output-sourced parameter with neither applyTo nor default does not apply to install, where no output exists yet. */
export function sourcedApplyTo(ctx: Context, parameter: ManifestParameter): string[] | undefined {
  // A required bundle's output exists at install: its installation runs first.
  if (parameter.source === undefined || parameter.source.dependency !== undefined || parameter.applyTo !== undefined || parameter.default !== undefined) return parameter.applyTo;
  return laterActions(ctx);
}

/** The outputs persistent parameters keep their values in (as sensitive as they are), unless the manifest declares them itself. */
export function persistentOutputs(parameters: Declared<ManifestParameter>[], declared: ManifestOutput[]): Declared<ManifestOutput>[] {
  return parameters
    .filter((parameter) => parameter.persistent === true && !declared.some((output) => output.name === parameter.name))
    .map((parameter) => ({
      name: parameter.name,
      sensitive: parameter.sensitive,
      path: `${APP_DIR}/${parameter.name}`,
      ...(parameter.schema === undefined ? {} : { schema: parameter.schema }),
      at: parameter.at,
    }));
}

/** The state files travel under one name; nothing else of the manifest may take it. */
export function refuseStateName(ctx: Context, entries: Declared<{ name: string }>[]): void {
  for (const entry of entries.filter((e) => e.name === STATE_VALUE_NAME)) {
    ctx.reader.attempt(() => ctx.reader.fail(entry.at.at, entry.at.path, `must not be named ${STATE_VALUE_NAME}: Lading keeps the state files under that name`));
  }
}

/** Each source names an output the manifest declares. */
export function checkSources(ctx: Context, parameters: Declared<ManifestParameter>[], outputs: ManifestOutput[]): void {
  for (const parameter of parameters) {
    const output = parameter.source?.output;
    if (output === undefined || parameter.source?.dependency !== undefined || outputs.some((o) => o.name === output)) continue;
    ctx.reader.attempt(() => ctx.reader.fail(parameter.at.at, parameter.at.path, `takes its value from output "${output}", which the manifest does not declare; add it under outputs`));
  }
}

const isUnder = (path: string, dir: string): boolean => path === dir || path.startsWith(`${dir}/`);

/** One `state` entry: a file Lading keeps for the installation, by a name only it maps to a path. */
export function parseStateFile(ctx: Context, item: Located): Declared<ManifestState> {
  const entry = ctx.reader.map(item);
  entry.refuseUnknown(['name', 'description', 'path', 'mixin']);
  const mixin = entry.get('mixin');
  if (mixin !== undefined) ctx.reader.fail(mixin.at, mixin.path, 'is reserved by Porter for mixins, which Lading does not have; remove it');
  const name = matching(ctx, entry.require('name'), valueNamePattern, valueNameProblem);
  if (name === STATE_VALUE_NAME) ctx.reader.fail(entry.node, entry.path, `must not be named ${STATE_VALUE_NAME}: Lading keeps the state under that name`);
  const pathValue = entry.require('path');
  const path = resolvePorterPath(ctx.reader.string(pathValue));
  const problem = porterDeliveryPathProblem(path) ?? (isUnder(path, STATE_DIR) ? `must not be under ${STATE_DIR}, where Lading keeps state files` : undefined);
  if (problem !== undefined) ctx.reader.fail(pathValue.at, pathValue.path, problem);
  const state: ManifestState = { name, path };
  const description = entry.optionalString('description');
  if (description !== undefined) state.description = description;
  return { ...state, at: item };
}
