import { hasOwnName } from '@lading/contracts';
import { LineCounter, parseDocument } from 'yaml';
import { builtInActions, MANIFEST_FILE_NAME, MANIFEST_SCHEMA_VERSION } from './constants.js';
import { dialectOf, porterDefaultSchemaVersion, porterDelimiters, porterSchemaVersions } from './dialect.js';
import { isRegistryLocation, parseImageReference } from './image-reference.js';
import { strip, type Context, type Declared } from './parse-context.js';
import { checkSources, parseStateFile, persistentOutputs, refuseStateName } from './parse-memory.js';
import { mixinAdvice, parseActionSteps, porterMixins } from './parse-steps.js';
import { dependencyWiringParameters, outputWiringParameters } from './parse-output-wiring.js';
import { checkDependencySources, parseDependencies } from './parse-dependencies.js';
import { parseCredential, parseCustomAction, parseImage, parseOutput, parseParameter } from './parse-values.js';
import { templatePathProblem } from './dockerfile-template.js';
import { actionNamePattern, bundleNamePattern, imageNamePattern, porterBundleNamePattern, semverPattern } from './rules.js';
import type { CustomAction, ExecStep, Manifest, ManifestDialect, ManifestImage } from './types.js';
import { childPath, type Located, type MapView, YamlReader } from './yaml-reader.js';

const ladingTopLevelKeys = [
  'schemaVersion', 'name', 'version', 'description', 'registry', 'baseImage', 'dockerfile', 'credentials', 'parameters',
  'outputs', 'images', 'customActions', 'install', 'upgrade', 'uninstall',
] as const;
/** Porter's top-level keys; any other key holding a list of steps is a custom action, as in Porter. */
const porterTopLevelKeys = [
  ...ladingTopLevelKeys, 'schemaType', 'reference', 'maintainers', 'mixins', 'state', 'dependencies', 'custom', 'required',
] as const;

/** porter.yaml fields Lading cannot honour yet: each refused with what to do instead. */
const porterRefusals: Record<string, string> = {
  required: 'is not supported: Lading never gives a bundle the Docker host through the manifest; an operator grants the Docker socket to a bundle digest (LADING_DOCKER_SOCKET_BUNDLES)',
};

function refuseDuplicates<T extends { at: Located }>(ctx: Context, entries: T[], key: (e: T) => string | undefined, problem: (k: string) => string): void {
  const seen = new Set<string>();
  for (const entry of entries) {
    const value = key(entry);
    if (value === undefined) continue;
    if (seen.has(value)) ctx.reader.attempt(() => ctx.reader.fail(entry.at.at, entry.at.path, problem(value)));
    seen.add(value);
  }
}

/** Reads each item of a list on its own, so one wrong entry does not hide the next. */
function each<T>(ctx: Context, value: Located | undefined, read: (item: Located) => T): T[] {
  const items = ctx.reader.attempt(() => ctx.reader.list(value)) ?? [];
  return items.flatMap((item) => {
    const parsed = ctx.reader.attempt(() => read(item));
    return parsed === undefined ? [] : [parsed];
  });
}

function schemaVersionOf(ctx: Context, root: MapView): string {
  const value = root.get('schemaVersion');
  if (ctx.dialect === 'lading') {
    if (value !== undefined) ctx.reader.attempt(() => {
      if (ctx.reader.string(value) !== MANIFEST_SCHEMA_VERSION) ctx.reader.fail(value.at, value.path, `must be ${MANIFEST_SCHEMA_VERSION}`);
    });
    return MANIFEST_SCHEMA_VERSION;
  }
  if (value === undefined) return porterDefaultSchemaVersion;
  return ctx.reader.attempt(() => {
    const version = ctx.reader.string(value);
    if (!(porterSchemaVersions as readonly string[]).includes(version)) {
      ctx.reader.fail(value.at, value.path, `must be one of ${porterSchemaVersions.join(', ')} (the porter.yaml versions Lading reads)`);
    }
    return version;
  }) ?? porterDefaultSchemaVersion;
}

function porterOnlyFields(ctx: Context, root: MapView): void {
  const reader: YamlReader = ctx.reader;
  const schemaType = root.get('schemaType');
  if (schemaType !== undefined) reader.attempt(() => {
    if (reader.string(schemaType) !== 'Bundle') reader.fail(schemaType.at, schemaType.path, 'must be Bundle');
  });
  for (const [field, problem] of Object.entries(porterRefusals)) {
    const value = root.get(field);
    if (value !== undefined) reader.attempt(() => reader.fail(value.at, value.path, problem));
  }
  each(ctx, root.get('mixins'), (item) => {
    const configured = item.node !== null && 'items' in item.node ? reader.map(item) : undefined;
    const key = configured !== undefined ? configured.keys()[0]?.key : reader.string(item);
    const mixin = (key ?? '').replace(/@.*$/, '');
    if (!porterMixins.includes(mixin)) {
      reader.fail(item.at, item.path, `names the ${mixin} mixin, which Lading does not have; remove it. ${mixinAdvice(ctx)}`);
    }
    // Declared even when its configuration is wrong, so its steps are still read.
    ctx.mixins.add(mixin);
    if (mixin === 'kubernetes' && configured !== undefined) kubernetesMixinConfig(ctx, configured);
  });
}

/**
 * `- kubernetes: { clientVersion: v1.N.N }`. Porter downloads that kubectl at build; Lading
 * downloads nothing, so the version is checked for form only and the image's kubectl runs.
 */
function kubernetesMixinConfig(ctx: Context, entry: MapView): void {
  const config = entry.get(entry.keys()[0]?.key ?? '');
  if (config === undefined || config.node === null) return;
  const fields = ctx.reader.map(config);
  fields.refuseUnknown(['clientVersion']);
  const version = fields.get('clientVersion');
  if (version !== undefined && !/^v1\.\d+\.\d+$/.test(ctx.reader.string(version))) {
    ctx.reader.fail(version.at, version.path, 'must be a kubectl 1.x version such as v1.32.4');
  }
}

function customActionsOf(ctx: Context, root: MapView): Record<string, CustomAction> {
  const reader: YamlReader = ctx.reader;
  const fixed: readonly string[] = ctx.dialect === 'porter' ? porterTopLevelKeys : ladingTopLevelKeys;
  const customActions: Record<string, CustomAction> = {};
  const customValue = root.get('customActions');
  if (customValue !== undefined && customValue.node !== null) {
    const customs = reader.attempt(() => reader.map(customValue));
    for (const { key, at } of customs?.keys() ?? []) {
      reader.attempt(() => {
        const path = childPath(customValue.path, key);
        if (!actionNamePattern.test(key)) reader.fail(at, path, 'is not a valid action name; use lower-case letters, digits and -');
        if (fixed.includes(key)) reader.fail(at, path, `cannot be a custom action: "${key}" is already a top-level field`);
        customActions[key] = parseCustomAction(ctx, customs?.get(key) as Located);
        if (root.get(key) === undefined) reader.fail(at, path, `has no steps; add a top-level "${key}:" list of steps`);
      });
    }
  }
  for (const { key, at } of root.keys()) {
    if (fixed.includes(key) || hasOwnName(customActions, key)) continue;
    reader.attempt(() => {
      if (ctx.dialect !== 'porter') {
        reader.fail(at, key, `is not a known top-level key; use one of ${fixed.join(', ')}, or declare it under customActions to make it an action`);
      }
      // Porter: any other top-level list of steps is a custom action with Porter's defaults.
      if (!actionNamePattern.test(key)) reader.fail(at, key, 'is not a known top-level key, nor a valid action name (lower-case letters, digits and -)');
      reader.list(root.get(key));
      customActions[key] = { modifies: true, stateless: false };
    });
  }
  return customActions;
}

/** The Dockerfile template's path in the bundle directory, as Porter's `dockerfile:` names it. */
function dockerfileOf(ctx: Context, root: MapView): string | undefined {
  const value = root.get('dockerfile');
  if (value === undefined) return undefined;
  const path = ctx.reader.string(value).replace(/^\.\//, '');
  const problem = templatePathProblem(path);
  if (problem !== undefined) ctx.reader.fail(value.at, value.path, problem);
  if (root.get('baseImage') !== undefined) ctx.reader.fail(value.at, value.path, 'and baseImage both name the base image: keep the FROM of the template and remove baseImage');
  return path;
}

function registryOf(ctx: Context, root: MapView): { registry: string; reference?: string } {
  const reader: YamlReader = ctx.reader;
  const registryProblem = 'must be a registry and optional path such as 127.0.0.1:5000/team, in lower case';
  const referenceValue = ctx.dialect === 'porter' ? root.get('reference') : undefined;
  if (referenceValue !== undefined) {
    const reference = reader.string(referenceValue);
    const parsed = parseImageReference(reference);
    if (parsed === undefined || parsed.tag === undefined || parsed.digest !== undefined) {
      reader.fail(referenceValue.at, referenceValue.path, 'must be a bundle reference with a tag, such as 127.0.0.1:5000/team/app:v1.0.0');
    }
    const registry = parsed.repository.slice(0, parsed.repository.lastIndexOf('/'));
    return { registry, reference };
  }
  const value = root.require('registry');
  // Porter takes a trailing slash (ghcr.io/getporter/) as the same registry.
  const registry = reader.string(value).replace(ctx.dialect === 'porter' ? /\/+$/ : /$^/, '');
  if (!isRegistryLocation(registry)) reader.fail(value.at, value.path, registryProblem);
  return { registry };
}

/**
 * Parses and validates lading.yaml, or porter.yaml with Porter's meanings (the dialect follows
 * the file name). Every problem is reported at once: the ManifestError lists each with file,
 * line, column and field.
 */
export function parseManifest(text: string, fileName: string = MANIFEST_FILE_NAME, dialect: ManifestDialect = dialectOf(fileName)): Manifest {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const reader: YamlReader = new YamlReader(fileName, lines, doc);
  const syntaxError = doc.errors[0];
  if (syntaxError !== undefined) {
    reader.failAtOffset(syntaxError.pos[0], `is not valid YAML (${syntaxError.message.replace(/\s+/g, ' ').trim()}); fix the syntax`);
  }
  const rootValue = reader.root();
  if (rootValue.node === null) reader.failAtOffset(0, 'is empty; start from `lading create`');
  const root = reader.map(rootValue, 'a mapping with name, version, registry and install');
  const ctx: Context = { reader, dialect, delimiters: 'braces', constants: { name: '', version: '' }, actions: new Set(), mixins: new Set() };

  const schemaVersion = schemaVersionOf(ctx, root);
  if (dialect === 'porter') {
    ctx.delimiters = porterDelimiters(schemaVersion);
    porterOnlyFields(ctx, root);
  }
  const customActions = customActionsOf(ctx, root);

  const namePattern = dialect === 'porter' ? porterBundleNamePattern : bundleNamePattern;
  const name = reader.attempt(() => {
    const value = root.require('name');
    const text = reader.string(value);
    if (!namePattern.test(text)) reader.fail(value.at, value.path, `must be 1-63 lower-case letters, digits or -, starting with a letter or digit${dialect === 'porter' ? ' (segments joined by /)' : ''}`);
    return text;
  }) ?? '';
  const version = reader.attempt(() => {
    const value = root.require('version');
    const raw = reader.scalar(value);
    if (typeof raw !== 'string' || !semverPattern.test(raw)) reader.fail(value.at, value.path, 'must be a semantic version such as 1.2.3');
    return raw;
  }) ?? '0.0.0';
  const description = reader.attempt(() => root.optionalString('description'));
  ctx.constants = { name, version, ...(description === undefined ? {} : { description }) };
  const where = reader.attempt(() => registryOf(ctx, root));
  const baseImage = reader.attempt(() => {
    const value = root.get('baseImage');
    if (value === undefined) return undefined;
    const text = reader.string(value);
    if (parseImageReference(text) === undefined) {
      reader.fail(value.at, value.path, 'must be an image reference with a tag or digest, such as registry.example.com/base:1.0 or …@sha256:<digest>');
    }
    return text;
  });
  const dockerfile = reader.attempt(() => dockerfileOf(ctx, root));

  if (root.get('install') === undefined) reader.attempt(() => reader.fail(root.node, 'install', 'is required: every bundle needs install steps'));
  for (const action of [...builtInActions, ...Object.keys(customActions)]) {
    if (root.get(action) !== undefined) ctx.actions.add(action);
  }

  const credentials = each(ctx, root.get('credentials'), (item) => parseCredential(ctx, item));
  const parameters = each(ctx, root.get('parameters'), (item) => parseParameter(ctx, item));
  const declaredOutputs = each(ctx, root.get('outputs'), (item) => parseOutput(ctx, item));
  const outputs = [...declaredOutputs, ...persistentOutputs(parameters, declaredOutputs)];
  checkSources(ctx, parameters, outputs);
  const state = dialect === 'porter' ? each(ctx, root.get('state'), (item) => parseStateFile(ctx, item)) : [];
  refuseDuplicates(ctx, state, (e) => e.name, (n) => `reuses the state name "${n}"`);
  refuseDuplicates(ctx, state, (e) => e.path, (p) => `reuses the state path ${p}; each state file needs its own`);
  if (state.length > 0) refuseStateName(ctx, [...credentials, ...parameters, ...outputs]);
  const delivered = [...credentials, ...parameters];
  refuseDuplicates(ctx, delivered, (e) => e.name, (n) => `reuses the name "${n}": credential and parameter names must be unique (each can be a file under /cnab/secrets/<name>)`);
  refuseDuplicates(ctx, delivered, (e) => e.env, (v) => `reuses the environment variable ${v}; each credential and parameter needs its own`);
  refuseDuplicates(ctx, delivered, (e) => e.path, (p) => `reuses the path ${p}; each credential and parameter needs its own`);
  refuseDuplicates(ctx, outputs as Declared<{ name: string }>[], (e) => e.name, (n) => `reuses the output name "${n}"`);

  const images: Record<string, ManifestImage> = {};
  const imagesValue = root.get('images');
  if (imagesValue !== undefined && imagesValue.node !== null) {
    const imageMap = reader.attempt(() => reader.map(imagesValue));
    for (const { key, at } of imageMap?.keys() ?? []) {
      reader.attempt(() => {
        if (!imageNamePattern.test(key)) reader.fail(at, childPath(imagesValue.path, key), 'is not a valid image name; use letters, digits, ., _ or -');
        images[key] = parseImage(ctx, imageMap?.get(key) as Located);
      });
    }
  }

  const dependencies = dialect === 'porter' ? parseDependencies(ctx, root.get('dependencies')) : [];
  checkDependencySources(ctx, parameters, dependencies);
  const scopeBase = {
    credentials: new Map(credentials.map((c) => [c.name, c])),
    parameters: new Map(parameters.map((p) => [p.name, p])),
    outputs: new Map(outputs.map((o) => [o.name, o])),
    images,
    earlierOutputs: new Map<string, Set<string>>(),
    dependencies: new Set(dependencies.map((d) => d.name)),
    dependencyOutputs: new Map(),
  };
  const actions: Record<string, ExecStep[]> = {};
  for (const action of ctx.actions) {
    const stepsValue = root.get(action) as Located;
    const items = reader.attempt(() => reader.list(stepsValue)) ?? [];
    if (action === 'install' && items.length === 0) reader.attempt(() => reader.fail(stepsValue.at, stepsValue.path, 'must have at least one step'));
    actions[action] = parseActionSteps(ctx, { ...scopeBase, action }, items);
  }
  const wiring = [
    ...outputWiringParameters(ctx, scopeBase.earlierOutputs, outputs, parameters),
    ...dependencyWiringParameters(ctx, scopeBase.dependencyOutputs, parameters),
  ];
  reader.report();

  const manifest: Manifest = {
    schemaVersion,
    dialect,
    name,
    version,
    registry: where?.registry ?? '',
    ...(where?.reference === undefined ? {} : { reference: where.reference }),
    ...(baseImage === undefined ? {} : { baseImage }),
    ...(dockerfile === undefined ? {} : { dockerfile }),
    credentials: credentials.map(strip),
    parameters: [...parameters.map(strip), ...wiring],
    outputs: outputs.map(strip),
    images,
    customActions,
    ...(state.length === 0 ? {} : { state: state.map(strip) }),
    ...(dependencies.length === 0 ? {} : { dependencies: dependencies.map(strip) }),
    actions,
  };
  if (description !== undefined) manifest.description = description;
  return manifest;
}
