/**
 * porter.yaml's `dependencies.requires` (Porter's dependencies v1): bundles installed before this
 * one, each under an alias. The build pins each reference to a digest; the `lading` command runs
 * the same action on each (`<installation>-<alias>`) around the parent's.
 */
import { ownRecord } from '@lading/contracts';
import { parseImageReference } from './image-reference.js';
import type { Context, Declared } from './parse-context.js';
import type { ManifestDependency, ManifestParameter } from './types.js';
import type { Located } from './yaml-reader.js';

/** An alias becomes part of an installation name (`<installation>-<alias>`) and of a parameter name. */
export const dependencyAliasPattern = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

function parameterDefaults(ctx: Context, value: Located | undefined): Record<string, string> {
  if (value === undefined || value.node === null) return ownRecord();
  const entries = ctx.reader.map(value);
  // Keyed as written: a name the required bundle does not take is reported once it is resolved.
  const defaults = ownRecord<string>();
  for (const { key } of entries.keys()) {
    ctx.reader.attempt(() => {
      const item = entries.get(key) as Located;
      const raw = ctx.reader.scalar(item);
      if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
        ctx.reader.fail(item.at, item.path, 'must be a string, number or boolean: the value handed to the required bundle\'s parameter');
      }
      defaults[key] = String(raw);
    });
  }
  return defaults;
}

function parseRequired(ctx: Context, item: Located): Declared<ManifestDependency> {
  const entry = ctx.reader.map(item, 'a required bundle with name and bundle.reference');
  entry.refuseUnknown(['name', 'bundle', 'parameters']);
  const nameValue = entry.require('name');
  const name = ctx.reader.string(nameValue);
  if (!dependencyAliasPattern.test(name)) {
    ctx.reader.fail(nameValue.at, nameValue.path, 'must be 1-32 lower-case letters, digits or -, starting and ending with a letter or digit: it names the installation <installation>-<name>');
  }
  const bundle = ctx.reader.map(entry.require('bundle'));
  bundle.refuseUnknown(['reference', 'version']);
  const version = bundle.get('version');
  if (version !== undefined) {
    ctx.reader.attempt(() =>
      ctx.reader.fail(version.at, version.path, 'is not supported: Lading pins a required bundle by its reference alone; name the tag (or digest) you want in bundle.reference'),
    );
  }
  const referenceValue = bundle.require('reference');
  const reference = ctx.reader.string(referenceValue);
  const parsed = parseImageReference(reference);
  if (parsed === undefined || (parsed.tag === undefined && parsed.digest === undefined)) {
    ctx.reader.fail(referenceValue.at, referenceValue.path, 'must be a bundle reference with a tag or digest, such as 127.0.0.1:5000/bundles/mysql:v0.1.0');
  }
  const parameters = parameterDefaults(ctx, entry.get('parameters'));
  return { name, reference, parameters, at: item };
}

/** Every entry of `dependencies.requires`, each read on its own so one wrong entry does not hide the next. */
export function parseDependencies(ctx: Context, value: Located | undefined): Declared<ManifestDependency>[] {
  if (value === undefined || value.node === null) return [];
  const dependencies = ctx.reader.attempt(() => {
    const section = ctx.reader.map(value);
    section.refuseUnknown(['requires']);
    const requires = section.get('requires');
    return ctx.reader.list(requires).flatMap((item) => {
      const parsed = ctx.reader.attempt(() => parseRequired(ctx, item));
      return parsed === undefined ? [] : [parsed];
    });
  }) ?? [];
  const seen = new Set<string>();
  for (const dependency of dependencies) {
    if (seen.has(dependency.name)) {
      ctx.reader.attempt(() => ctx.reader.fail(dependency.at.at, dependency.at.path, `reuses the dependency name "${dependency.name}"; give each required bundle its own`));
    }
    seen.add(dependency.name);
  }
  return dependencies;
}

/** Each `source: { dependency: ALIAS }` names a bundle `dependencies.requires` declares. */
export function checkDependencySources(ctx: Context, parameters: Declared<ManifestParameter>[], dependencies: ManifestDependency[]): void {
  for (const parameter of parameters) {
    const alias = parameter.source?.dependency;
    if (alias === undefined || dependencies.some((d) => d.name === alias)) continue;
    ctx.reader.attempt(() =>
      ctx.reader.fail(parameter.at.at, parameter.at.path, `takes its value from output "${parameter.source?.output}" of dependency "${alias}", which dependencies.requires does not declare; add it there`),
    );
  }
}
