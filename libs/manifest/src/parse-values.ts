import { defaultText, parameterSchemaProblem } from '@lading/cnab';
import { isDigest, isTag } from '@lading/contracts/reference-grammar';
import { porterEnvName } from './dialect.js';
import { isRegistryRepository, splitImageReference } from './image-reference.js';
import { applyTo, matching, type Context, type Declared } from './parse-context.js';
import { parameterSource, persistentParameter, resolvePorterPath, sourcedApplyTo } from './parse-memory.js';
import { deliveryPathProblem, envNameProblem, pathProblem, porterDeliveryPathProblem, valueNamePattern, valueNameProblem } from './rules.js';
import type { CustomAction, ManifestCredential, ManifestImage, ManifestOutput, ManifestParameter, ParameterType, ParameterValue, SchemaKeywords } from './types.js';
import type { Located, MapView } from './yaml-reader.js';

const ladingParameterTypes: readonly ParameterType[] = ['string', 'integer', 'number', 'boolean'];
const porterParameterTypes: readonly ParameterType[] = ['string', 'integer', 'number', 'boolean', 'object', 'array', 'file'];

/** JSON-Schema keywords porter.yaml allows inline on a parameter or output; they go to its bundle.json definition. */
const schemaKeywords = [
  'enum', 'const', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength',
  'pattern', 'format', 'items', 'minItems', 'maxItems', 'uniqueItems', 'properties', 'additionalProperties',
  'minProperties', 'maxProperties', 'contentEncoding', 'contentMediaType', 'title', 'examples', '$comment',
] as const;

function delivery(ctx: Context, entry: MapView, what: string, name: string): { env?: string; path?: string } {
  const envValue = entry.get('env');
  const pathValue = entry.get('path');
  const result: { env?: string; path?: string } = {};
  if (envValue !== undefined) {
    result.env = ctx.reader.string(envValue);
    const problem = envNameProblem(result.env);
    if (problem !== undefined) ctx.reader.fail(envValue.at, envValue.path, problem);
  }
  if (pathValue !== undefined) {
    const written = ctx.reader.string(pathValue);
    result.path = ctx.dialect === 'porter' ? resolvePorterPath(written) : written;
    const problem = (ctx.dialect === 'porter' ? porterDeliveryPathProblem : deliveryPathProblem)(result.path);
    if (problem !== undefined) ctx.reader.fail(pathValue.at, pathValue.path, problem);
  }
  if (result.env === undefined && result.path === undefined) {
    if (ctx.dialect === 'porter' && what === 'parameter') {
      result.env = porterEnvName(name);
      const problem = envNameProblem(result.env);
      if (problem !== undefined) ctx.reader.fail(entry.node, entry.path, `would reach the bundle as ${result.env}, which ${problem.replace(/^must/, 'must')}; give it env or path`);
    } else {
      ctx.reader.fail(entry.node, entry.path, `must say how the ${what} reaches the bundle: give env, path or both`);
    }
  }
  return result;
}

function schemaOf(ctx: Context, entry: MapView): SchemaKeywords | undefined {
  if (ctx.dialect !== 'porter') return undefined;
  const schema: SchemaKeywords = {};
  for (const keyword of schemaKeywords) {
    const value = entry.get(keyword);
    if (value !== undefined && value.node !== null) schema[keyword] = ctx.reader.json(value);
  }
  return Object.keys(schema).length === 0 ? undefined : schema;
}

export function parseCredential(ctx: Context, item: Located): Declared<ManifestCredential> {
  const entry = ctx.reader.map(item);
  // Porter ignores a credential's type; porter.yaml files in the wild carry one.
  entry.refuseUnknown(['name', 'description', 'env', 'path', 'required', 'applyTo', ...(ctx.dialect === 'porter' ? ['type'] : [])]);
  const name = matching(ctx, entry.require('name'), valueNamePattern, valueNameProblem);
  // Porter: a credential is required unless it says otherwise.
  const required = entry.optionalBoolean('required', ctx.dialect === 'porter');
  const credential: ManifestCredential = { name, ...delivery(ctx, entry, 'credential', name), required };
  const description = entry.optionalString('description');
  if (description !== undefined) credential.description = description;
  const actions = applyTo(ctx, entry);
  if (actions !== undefined) credential.applyTo = actions;
  return { ...credential, at: item };
}

function parameterValue(ctx: Context, value: Located, type: ParameterType): ParameterValue {
  if (type === 'object' || type === 'array') {
    const json = ctx.reader.json(value);
    const ok = type === 'array' ? Array.isArray(json) : typeof json === 'object' && json !== null && !Array.isArray(json);
    if (!ok) ctx.reader.fail(value.at, value.path, `must be ${type === 'array' ? 'a list' : 'a mapping'}, matching the parameter's type`);
    return json as ParameterValue;
  }
  const raw = ctx.reader.scalar(value);
  const ok =
    ((type === 'string' || type === 'file') && typeof raw === 'string') ||
    (type === 'boolean' && typeof raw === 'boolean') ||
    (type === 'number' && typeof raw === 'number' && Number.isFinite(raw)) ||
    (type === 'integer' && typeof raw === 'number' && Number.isSafeInteger(raw));
  if (!ok) {
    const hint = type === 'string' ? '; put it in quotes' : '';
    const article = type === 'integer' ? 'an' : 'a';
    ctx.reader.fail(value.at, value.path, `must be ${article} ${type}, matching the parameter's type${hint}`);
  }
  if (type === 'file' && raw !== '') ctx.reader.fail(value.at, value.path, 'must be empty for a file parameter; supply the file when the bundle runs');
  return raw as ParameterValue;
}

export function parseParameter(ctx: Context, item: Located): Declared<ManifestParameter> {
  const entry = ctx.reader.map(item);
  const porter = ctx.dialect === 'porter';
  const common = ['name', 'description', 'type', 'default', 'env', 'path', 'sensitive', 'required', 'applyTo'];
  entry.refuseUnknown(porter ? [...common, 'source', 'persistent', ...schemaKeywords] : common);
  const name = matching(ctx, entry.require('name'), valueNamePattern, valueNameProblem);
  const persistent = porter ? persistentParameter(ctx, entry, name) : undefined;
  const typeValue = entry.get('type');
  const allowed = porter ? porterParameterTypes : ladingParameterTypes;
  const fallback: ParameterType = porter && entry.get('path') !== undefined ? 'file' : 'string';
  const type = (typeValue === undefined ? fallback : ctx.reader.string(typeValue)) as ParameterType;
  if (typeValue !== undefined && !allowed.includes(type)) {
    ctx.reader.fail(typeValue.at, typeValue.path, `must be one of ${allowed.join(', ')}`);
  }
  const sensitive = entry.optionalBoolean('sensitive', false);
  const defaultValue = entry.get('default');
  const destination = persistent === undefined ? delivery(ctx, entry, 'parameter', name) : { path: persistent.path };
  const parameter: ManifestParameter = { name, type, ...destination, sensitive, required: false };
  if (type === 'file' && parameter.path === undefined) ctx.reader.fail(entry.node, entry.path, 'is a file parameter and needs a path to deliver the file to');
  if (defaultValue !== undefined && defaultValue.node !== null) {
    if (sensitive) {
      ctx.reader.fail(defaultValue.at, defaultValue.path, 'is not allowed on a sensitive parameter: it would be stored in clear in bundle.json; supply the value at run time');
    }
    parameter.default = parameterValue(ctx, defaultValue, type);
  }
  parameter.required = entry.optionalBoolean('required', parameter.default === undefined);
  const description = entry.optionalString('description');
  if (description !== undefined) parameter.description = description;
  const actions = persistent?.applyTo ?? applyTo(ctx, entry);
  if (actions !== undefined) parameter.applyTo = actions;
  if (persistent !== undefined) parameter.persistent = true;
  const source = persistent?.source ?? (porter ? parameterSource(ctx, entry) : undefined);
  if (source !== undefined) parameter.source = source;
  const sourcedActions = sourcedApplyTo(ctx, parameter);
  if (sourcedActions !== undefined) parameter.applyTo = sourcedActions;
  const schema = schemaOf(ctx, entry);
  if (schema !== undefined) parameter.schema = schema;
  // As Porter does at build: a default must fit the parameter's own JSON-Schema keywords.
  if (schema !== undefined && parameter.default !== undefined && type !== 'file') {
    const problem = parameterSchemaProblem(name, { ...schema, type }, defaultText(parameter.default));
    if (problem !== undefined) ctx.reader.fail((defaultValue as Located).at, (defaultValue as Located).path, problem.replace(`parameter ${name} `, ''));
  }
  return { ...parameter, at: item };
}

export function parseOutput(ctx: Context, item: Located): Declared<ManifestOutput> {
  const entry = ctx.reader.map(item);
  const porter = ctx.dialect === 'porter';
  const common = ['name', 'description', 'sensitive', 'applyTo'];
  entry.refuseUnknown(porter ? [...common, 'type', 'path', 'default', ...schemaKeywords] : common);
  const name = matching(ctx, entry.require('name'), valueNamePattern, valueNameProblem);
  const output: ManifestOutput = { name, sensitive: entry.optionalBoolean('sensitive', false) };
  const description = entry.optionalString('description');
  if (description !== undefined) output.description = description;
  const actions = applyTo(ctx, entry);
  if (actions !== undefined) output.applyTo = actions;
  const typeValue = entry.get('type');
  if (typeValue !== undefined) {
    const type = ctx.reader.string(typeValue) as ParameterType;
    if (!porterParameterTypes.includes(type)) ctx.reader.fail(typeValue.at, typeValue.path, `must be one of ${porterParameterTypes.join(', ')}`);
    output.type = type;
  }
  const pathValue = entry.get('path');
  if (pathValue !== undefined) {
    const path = resolvePorterPath(ctx.reader.string(pathValue));
    const problem = pathProblem(path);
    if (problem !== undefined) ctx.reader.fail(pathValue.at, pathValue.path, problem);
    output.path = path;
  }
  const schema = schemaOf(ctx, entry);
  const defaultValue = entry.get('default');
  const withDefault = defaultValue === undefined || defaultValue.node === null ? schema : { ...schema, default: ctx.reader.json(defaultValue) };
  if (withDefault !== undefined) output.schema = withDefault;
  return { ...output, at: item };
}

/** porter.yaml's `image: repo[:tag][@digest]`, the one-field form of repository with tag or digest. */
function porterImageField(ctx: Context, entry: MapView, value: Located): ManifestImage {
  if (entry.get('repository') !== undefined) ctx.reader.fail(value.at, value.path, 'and repository name the same thing; give one of them');
  const reference = splitImageReference(ctx.reader.string(value));
  if (reference === undefined) ctx.reader.fail(value.at, value.path, 'must be an image reference such as registry.example.com/team/app:1.0 or …@sha256:<digest>');
  const image: ManifestImage = { repository: reference.repository };
  for (const field of ['tag', 'digest'] as const) {
    const separate = entry.get(field);
    if (separate !== undefined && reference[field] !== undefined) ctx.reader.fail(separate.at, separate.path, `is given twice: in image and in ${field}; keep one`);
    if (reference[field] !== undefined) image[field] = reference[field];
  }
  return image;
}

export function parseImage(ctx: Context, value: Located): ManifestImage {
  const entry = ctx.reader.map(value);
  const porter = ctx.dialect === 'porter';
  const common = ['repository', 'tag', 'digest', 'description'];
  // Porter records these from the registry itself; Lading reads them there too.
  entry.refuseUnknown(porter ? [...common, 'image', 'imageType', 'size', 'mediaType', 'labels'] : common);
  const imageField = porter ? entry.get('image') : undefined;
  const image: ManifestImage =
    imageField === undefined
      ? { repository: matching(ctx, entry.require('repository'), isRegistryRepository, 'must be a repository such as registry.example.com/team/app, without tag or digest') }
      : porterImageField(ctx, entry, imageField);
  const tag = entry.get('tag');
  const digest = entry.get('digest');
  if (!porter && (tag === undefined) === (digest === undefined)) {
    ctx.reader.fail(entry.node, entry.path, 'must have exactly one of tag or digest');
  }
  // Porter: a digest wins over a tag, and a repository alone means its latest tag.
  if (digest !== undefined) image.digest = matching(ctx, digest, isDigest, 'must be a digest like sha256:<64 hex digits>');
  else if (tag !== undefined) image.tag = matching(ctx, tag, isTag, 'must be a valid image tag');
  if (image.digest !== undefined) delete image.tag;
  else image.tag ??= 'latest';
  const description = entry.optionalString('description');
  if (description !== undefined) image.description = description;
  return image;
}

export function parseCustomAction(ctx: Context, value: Located): CustomAction {
  const entry = ctx.reader.map(value);
  entry.refuseUnknown(['description', 'modifies', 'stateless']);
  // Porter's defaults: a custom action changes the installation and is recorded.
  const porter = ctx.dialect === 'porter';
  const action: CustomAction = { modifies: entry.optionalBoolean('modifies', porter), stateless: entry.optionalBoolean('stateless', false) };
  const description = entry.optionalString('description');
  if (description !== undefined) action.description = description;
  return action;
}
