import { isSeq, LineCounter, parseDocument } from 'yaml';
import { builtInActions, MANIFEST_FILE_NAME, MANIFEST_SCHEMA_VERSION } from './constants.js';
import { parseImageReference } from './image-reference.js';
import {
  actionNamePattern,
  bundleNamePattern,
  deliveryPathProblem,
  digestPattern,
  envNameProblem,
  flagNamePattern,
  imageNamePattern,
  pathProblem,
  registryPattern,
  repositoryPattern,
  semverPattern,
  tagPattern,
  valueNamePattern,
} from './rules.js';
import { parseTemplate } from './templates.js';
import type {
  CustomAction,
  ExecFlag,
  ExecStep,
  Manifest,
  ManifestCredential,
  ManifestImage,
  ManifestOutput,
  ManifestParameter,
  ParameterType,
  ParameterValue,
  StepOutput,
  TemplatedString,
} from './types.js';
import { childPath, type Located, type MapView, YamlReader } from './yaml-reader.js';

const fixedTopLevelKeys = [
  'schemaVersion', 'name', 'version', 'description', 'registry', 'baseImage', 'credentials', 'parameters',
  'outputs', 'images', 'customActions', 'install', 'upgrade', 'uninstall',
] as const;
const parameterTypes: readonly ParameterType[] = ['string', 'integer', 'number', 'boolean'];

interface Context {
  reader: YamlReader;
  actions: Set<string>;
}

/** A named value with the node it came from, so later cross-checks can point at it. */
type Declared<T> = T & { at: Located };

function matching(ctx: Context, value: Located, pattern: RegExp, problem: string): string {
  const text = ctx.reader.string(value);
  if (!pattern.test(text)) ctx.reader.fail(value.at, value.path, problem);
  return text;
}

function applyTo(ctx: Context, entry: MapView): string[] | undefined {
  const value = entry.get('applyTo');
  if (value === undefined) return undefined;
  const items = ctx.reader.list(value);
  if (items.length === 0) ctx.reader.fail(value.at, value.path, 'must name at least one action, or be left out to mean every action');
  return items.map((item) => {
    const action = ctx.reader.string(item);
    if (!ctx.actions.has(action)) {
      ctx.reader.fail(item.at, item.path, `names action "${action}", which this manifest does not declare; use one of ${[...ctx.actions].join(', ')}`);
    }
    return action;
  });
}

function delivery(ctx: Context, entry: MapView, what: string): { env?: string; path?: string } {
  const envValue = entry.get('env');
  const pathValue = entry.get('path');
  const result: { env?: string; path?: string } = {};
  if (envValue !== undefined) {
    result.env = ctx.reader.string(envValue);
    const problem = envNameProblem(result.env);
    if (problem !== undefined) ctx.reader.fail(envValue.at, envValue.path, problem);
  }
  if (pathValue !== undefined) {
    result.path = ctx.reader.string(pathValue);
    const problem = deliveryPathProblem(result.path);
    if (problem !== undefined) ctx.reader.fail(pathValue.at, pathValue.path, problem);
  }
  if (result.env === undefined && result.path === undefined) {
    ctx.reader.fail(entry.node, entry.path, `must say how the ${what} reaches the bundle: give env, path or both`);
  }
  return result;
}

function parseCredential(ctx: Context, item: Located): Declared<ManifestCredential> {
  const entry = ctx.reader.map(item);
  entry.refuseUnknown(['name', 'description', 'env', 'path', 'required', 'applyTo']);
  const name = matching(ctx, entry.require('name'), valueNamePattern, 'must be 1-63 letters, digits, _ or -, starting with a letter or digit');
  const credential: ManifestCredential = { name, ...delivery(ctx, entry, 'credential'), required: entry.optionalBoolean('required', false) };
  const description = entry.optionalString('description');
  if (description !== undefined) credential.description = description;
  const actions = applyTo(ctx, entry);
  if (actions !== undefined) credential.applyTo = actions;
  return { ...credential, at: item };
}

function parameterValue(ctx: Context, value: Located, type: ParameterType): ParameterValue {
  const raw = ctx.reader.scalar(value);
  const ok =
    (type === 'string' && typeof raw === 'string') ||
    (type === 'boolean' && typeof raw === 'boolean') ||
    (type === 'number' && typeof raw === 'number' && Number.isFinite(raw)) ||
    (type === 'integer' && typeof raw === 'number' && Number.isSafeInteger(raw));
  if (!ok) {
    const hint = type === 'string' ? '; put it in quotes' : '';
    const article = type === 'integer' ? 'an' : 'a';
    ctx.reader.fail(value.at, value.path, `must be ${article} ${type}, matching the parameter's type${hint}`);
  }
  return raw as ParameterValue;
}

function parseParameter(ctx: Context, item: Located): Declared<ManifestParameter> {
  const entry = ctx.reader.map(item);
  entry.refuseUnknown(['name', 'description', 'type', 'default', 'env', 'path', 'sensitive', 'required', 'applyTo']);
  const name = matching(ctx, entry.require('name'), valueNamePattern, 'must be 1-63 letters, digits, _ or -, starting with a letter or digit');
  const typeValue = entry.get('type');
  const type = (typeValue === undefined ? 'string' : ctx.reader.string(typeValue)) as ParameterType;
  if (typeValue !== undefined && !parameterTypes.includes(type)) {
    ctx.reader.fail(typeValue.at, typeValue.path, `must be one of ${parameterTypes.join(', ')}`);
  }
  const sensitive = entry.optionalBoolean('sensitive', false);
  const defaultValue = entry.get('default');
  const parameter: ManifestParameter = { name, type, ...delivery(ctx, entry, 'parameter'), sensitive, required: false };
  if (defaultValue !== undefined && defaultValue.node !== null) {
    if (sensitive) {
      ctx.reader.fail(defaultValue.at, defaultValue.path, 'is not allowed on a sensitive parameter: it would be stored in clear in bundle.json; supply the value at run time');
    }
    parameter.default = parameterValue(ctx, defaultValue, type);
  }
  parameter.required = entry.optionalBoolean('required', parameter.default === undefined);
  const description = entry.optionalString('description');
  if (description !== undefined) parameter.description = description;
  const actions = applyTo(ctx, entry);
  if (actions !== undefined) parameter.applyTo = actions;
  return { ...parameter, at: item };
}

function parseOutput(ctx: Context, item: Located): Declared<ManifestOutput> {
  const entry = ctx.reader.map(item);
  entry.refuseUnknown(['name', 'description', 'sensitive', 'applyTo']);
  const name = matching(ctx, entry.require('name'), valueNamePattern, 'must be 1-63 letters, digits, _ or -, starting with a letter or digit');
  const output: ManifestOutput = { name, sensitive: entry.optionalBoolean('sensitive', false) };
  const description = entry.optionalString('description');
  if (description !== undefined) output.description = description;
  const actions = applyTo(ctx, entry);
  if (actions !== undefined) output.applyTo = actions;
  return { ...output, at: item };
}

function parseImage(ctx: Context, value: Located): ManifestImage {
  const entry = ctx.reader.map(value);
  entry.refuseUnknown(['repository', 'tag', 'digest', 'description']);
  const image: ManifestImage = {
    repository: matching(ctx, entry.require('repository'), repositoryPattern, 'must be a repository such as registry.example.com/team/app, without tag or digest'),
  };
  const tag = entry.get('tag');
  const digest = entry.get('digest');
  if ((tag === undefined) === (digest === undefined)) {
    ctx.reader.fail(entry.node, entry.path, 'must have exactly one of tag or digest');
  }
  if (tag !== undefined) image.tag = matching(ctx, tag, tagPattern, 'must be a valid image tag');
  if (digest !== undefined) image.digest = matching(ctx, digest, digestPattern, 'must be a digest like sha256:<64 hex digits>');
  const description = entry.optionalString('description');
  if (description !== undefined) image.description = description;
  return image;
}

function parseCustomAction(ctx: Context, value: Located): CustomAction {
  const entry = ctx.reader.map(value);
  entry.refuseUnknown(['description', 'modifies', 'stateless']);
  const action: CustomAction = { modifies: entry.optionalBoolean('modifies', false), stateless: entry.optionalBoolean('stateless', false) };
  const description = entry.optionalString('description');
  if (description !== undefined) action.description = description;
  return action;
}

interface StepScope {
  action: string;
  credentials: Map<string, ManifestCredential>;
  parameters: Map<string, ManifestParameter>;
  outputs: Map<string, ManifestOutput>;
}

const appliesTo = (entry: { applyTo?: string[] }, action: string): boolean =>
  entry.applyTo === undefined || entry.applyTo.includes(action);

function templated(ctx: Context, scope: StepScope, value: Located): TemplatedString {
  const raw = ctx.reader.scalar(value);
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
    ctx.reader.fail(value.at, value.path, 'must be a string, number or boolean');
  }
  const parts = parseTemplate(String(raw));
  if (typeof parts === 'string') ctx.reader.fail(value.at, value.path, parts);
  for (const part of parts) {
    if (part.kind === 'text') continue;
    const declared = part.kind === 'parameter' ? scope.parameters.get(part.name) : scope.credentials.get(part.name);
    if (declared === undefined) {
      ctx.reader.fail(value.at, value.path, `refers to ${part.kind} "${part.name}", which is not declared under ${part.kind}s`);
    }
    if (!appliesTo(declared, scope.action)) {
      ctx.reader.fail(value.at, value.path, `refers to ${part.kind} "${part.name}", which does not apply to action ${scope.action}; add ${scope.action} to its applyTo`);
    }
  }
  return parts;
}

function parseFlags(ctx: Context, scope: StepScope, value: Located | undefined): ExecFlag[] {
  if (value === undefined || value.node === null) return [];
  const flags = ctx.reader.map(value);
  return flags.keys().flatMap(({ key, at }): ExecFlag[] => {
    const path = childPath(flags.path, key);
    if (!flagNamePattern.test(key)) ctx.reader.fail(at, path, 'is not a valid flag name; use letters, digits, ., _ or -');
    const flagValue = flags.get(key) as Located;
    if (flagValue.node === null) return [{ name: key, values: [] }];
    if (isSeq(flagValue.node)) {
      return [{ name: key, values: ctx.reader.list(flagValue).map((item) => templated(ctx, scope, item)) }];
    }
    const scalar = ctx.reader.scalar(flagValue);
    if (scalar === false) return [];
    if (scalar === true || scalar === '') return [{ name: key, values: [] }];
    return [{ name: key, values: [templated(ctx, scope, flagValue)] }];
  });
}

function parseStepOutput(ctx: Context, scope: StepScope, item: Located): StepOutput {
  const entry = ctx.reader.map(item);
  entry.refuseUnknown(['name', 'regex', 'path']);
  const nameValue = entry.require('name');
  const name = ctx.reader.string(nameValue);
  const declared = scope.outputs.get(name);
  if (declared === undefined) {
    ctx.reader.fail(nameValue.at, nameValue.path, `names output "${name}", which is not declared under outputs`);
  }
  if (!appliesTo(declared, scope.action)) {
    ctx.reader.fail(nameValue.at, nameValue.path, `names output "${name}", which does not apply to action ${scope.action}; add ${scope.action} to its applyTo`);
  }
  const regex = entry.get('regex');
  const path = entry.get('path');
  if ((regex === undefined) === (path === undefined)) {
    ctx.reader.fail(entry.node, entry.path, 'must have exactly one of regex (matched against the step\'s output) or path (a file the step writes)');
  }
  if (regex !== undefined) {
    const pattern = ctx.reader.string(regex);
    try {
      new RegExp(pattern);
    } catch {
      ctx.reader.fail(regex.at, regex.path, 'is not a valid regular expression');
    }
    // The run script matches with grep -E: POSIX extended syntax, without JavaScript-only forms.
    if (/\\d|\\D|\(\?/.test(pattern)) {
      ctx.reader.fail(regex.at, regex.path, 'must be a POSIX extended regular expression: write [0-9] for \\d and leave out (?…) groups');
    }
    if (pattern === '' || new RegExp(pattern).test('')) {
      ctx.reader.fail(regex.at, regex.path, 'must not match empty text; it would capture nothing useful');
    }
    return { name, regex: pattern };
  }
  const file = ctx.reader.string(path as Located);
  const problem = pathProblem(file);
  if (problem !== undefined) ctx.reader.fail((path as Located).at, (path as Located).path, problem);
  return { name, path: file };
}

function parseStep(ctx: Context, scope: StepScope, item: Located): ExecStep {
  const wrapper = ctx.reader.map(item, 'a step like "- exec: { command: … }"');
  const mixins = wrapper.keys();
  for (const { key, at } of mixins) {
    if (key !== 'exec') {
      ctx.reader.fail(at, childPath(item.path, key), 'is not a supported mixin; steps may only use the exec mixin');
    }
  }
  if (mixins.length !== 1) ctx.reader.fail(item.at, item.path, 'must hold exactly one exec mixin');
  const exec = ctx.reader.map(wrapper.require('exec'));
  exec.refuseUnknown(['description', 'command', 'arguments', 'flags', 'outputs']);
  const commandValue = exec.require('command');
  const command = ctx.reader.string(commandValue);
  if (command.trim() === '' || command.includes('{{') || /[\n\0]/.test(command)) {
    ctx.reader.fail(commandValue.at, commandValue.path, 'must be a program name or path, without templates; pass values as arguments');
  }
  const step: ExecStep = {
    command,
    arguments: ctx.reader.list(exec.get('arguments')).map((arg) => templated(ctx, scope, arg)),
    flags: parseFlags(ctx, scope, exec.get('flags')),
    outputs: ctx.reader.list(exec.get('outputs')).map((output) => parseStepOutput(ctx, scope, output)),
  };
  const description = exec.optionalString('description');
  if (description !== undefined) step.description = description;
  return step;
}

function refuseDuplicates<T extends { at: Located }>(ctx: Context, entries: T[], key: (e: T) => string | undefined, problem: (k: string) => string): void {
  const seen = new Set<string>();
  for (const entry of entries) {
    const value = key(entry);
    if (value === undefined) continue;
    if (seen.has(value)) ctx.reader.fail(entry.at.at, entry.at.path, problem(value));
    seen.add(value);
  }
}

const strip = <T extends { at: Located }>({ at: _at, ...rest }: T): Omit<T, 'at'> => rest;

/** Parses and validates lading.yaml; any problem throws a ManifestError naming file, line, column and field. */
export function parseManifest(text: string, fileName: string = MANIFEST_FILE_NAME): Manifest {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const reader: YamlReader = new YamlReader(fileName, lines, doc);
  const syntaxError = doc.errors[0];
  if (syntaxError !== undefined) {
    reader.failAtOffset(syntaxError.pos[0], `is not valid YAML (${syntaxError.message.replace(/\s+/g, ' ').trim()}); fix the syntax`);
  }
  const rootValue = reader.root();
  if (rootValue.node === null) reader.failAtOffset(0, 'is empty; start from `lading create`');
  const root = reader.map(rootValue, 'a mapping with name, version, registry, baseImage and install');
  const ctx: Context = { reader, actions: new Set() };

  const customActions: Record<string, CustomAction> = {};
  const customValue = root.get('customActions');
  if (customValue !== undefined && customValue.node !== null) {
    const customs = reader.map(customValue);
    for (const { key, at } of customs.keys()) {
      const path = childPath(customs.path, key);
      if (!actionNamePattern.test(key)) reader.fail(at, path, 'is not a valid action name; use lower-case letters, digits and -');
      if ((fixedTopLevelKeys as readonly string[]).includes(key)) {
        reader.fail(at, path, `cannot be a custom action: "${key}" is already a top-level field`);
      }
      customActions[key] = parseCustomAction(ctx, customs.get(key) as Located);
      if (root.get(key) === undefined) reader.fail(at, path, `has no steps; add a top-level "${key}:" list of steps`);
    }
  }

  for (const { key, at } of root.keys()) {
    if (!(fixedTopLevelKeys as readonly string[]).includes(key) && customActions[key] === undefined) {
      reader.fail(at, key, `is not a known top-level key; use one of ${fixedTopLevelKeys.join(', ')}, or declare it under customActions to make it an action`);
    }
  }

  const schemaValue = root.get('schemaVersion');
  if (schemaValue !== undefined && reader.string(schemaValue) !== MANIFEST_SCHEMA_VERSION) {
    reader.fail(schemaValue.at, schemaValue.path, `must be ${MANIFEST_SCHEMA_VERSION}`);
  }
  const name = matching(ctx, root.require('name'), bundleNamePattern, 'must be 1-63 lower-case letters, digits or -, starting with a letter or digit');
  const versionValue = root.require('version');
  const versionRaw = reader.scalar(versionValue);
  if (typeof versionRaw !== 'string' || !semverPattern.test(versionRaw)) {
    reader.fail(versionValue.at, versionValue.path, 'must be a semantic version such as 1.2.3');
  }
  const registry = matching(ctx, root.require('registry'), registryPattern, 'must be a registry and optional path such as 127.0.0.1:5000/team, in lower case');
  const baseImageValue = root.require('baseImage');
  const baseImage = reader.string(baseImageValue);
  if (parseImageReference(baseImage) === undefined) {
    reader.fail(baseImageValue.at, baseImageValue.path, 'must be an image reference with a tag or digest, such as registry.example.com/base:1.0 or …@sha256:<digest>');
  }

  if (root.get('install') === undefined) reader.fail(root.node, 'install', 'is required: every bundle needs install steps');
  for (const action of [...builtInActions, ...Object.keys(customActions)]) {
    if (root.get(action) !== undefined) ctx.actions.add(action);
  }

  const credentials = reader.list(root.get('credentials')).map((item) => parseCredential(ctx, item));
  const parameters = reader.list(root.get('parameters')).map((item) => parseParameter(ctx, item));
  const outputs = reader.list(root.get('outputs')).map((item) => parseOutput(ctx, item));
  const delivered = [...credentials, ...parameters];
  refuseDuplicates(ctx, delivered, (e) => e.name, (n) => `reuses the name "${n}": credential and parameter names must be unique (each can be a file under /cnab/secrets/<name>)`);
  refuseDuplicates(ctx, delivered, (e) => e.env, (v) => `reuses the environment variable ${v}; each credential and parameter needs its own`);
  refuseDuplicates(ctx, delivered, (e) => e.path, (p) => `reuses the path ${p}; each credential and parameter needs its own`);
  refuseDuplicates(ctx, outputs, (e) => e.name, (n) => `reuses the output name "${n}"`);

  const images: Record<string, ManifestImage> = {};
  const imagesValue = root.get('images');
  if (imagesValue !== undefined && imagesValue.node !== null) {
    const imageMap = reader.map(imagesValue);
    for (const { key, at } of imageMap.keys()) {
      if (!imageNamePattern.test(key)) reader.fail(at, childPath(imageMap.path, key), 'is not a valid image name; use letters, digits, ., _ or -');
      images[key] = parseImage(ctx, imageMap.get(key) as Located);
    }
  }

  const scopeBase = {
    credentials: new Map(credentials.map((c) => [c.name, c])),
    parameters: new Map(parameters.map((p) => [p.name, p])),
    outputs: new Map(outputs.map((o) => [o.name, o])),
  };
  const actions: Record<string, ExecStep[]> = {};
  for (const action of ctx.actions) {
    const stepsValue = root.get(action) as Located;
    const items = reader.list(stepsValue);
    if (action === 'install' && items.length === 0) reader.fail(stepsValue.at, stepsValue.path, 'must have at least one step');
    actions[action] = items.map((item) => parseStep(ctx, { ...scopeBase, action }, item));
  }

  const manifest: Manifest = {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    name,
    version: versionRaw,
    registry,
    baseImage,
    credentials: credentials.map(strip),
    parameters: parameters.map(strip),
    outputs: outputs.map(strip),
    images,
    customActions,
    actions,
  };
  const description = root.optionalString('description');
  if (description !== undefined) manifest.description = description;
  return manifest;
}
