import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import type { JsonSchemaDefinition } from '@lading/contracts';
import { nestingProblem, nestsTooDeep } from './value-limits.js';

/**
 * The one check of a parameter value against the JSON Schema its bundle.json definition carries
 * (type, minimum, maximum, enum, pattern, minLength, maxLength and the rest of draft 7). The CLI
 * asks before it submits a run, the broker before it admits one and the runner before it starts
 * the container, all through this function.
 */

let ajv: Ajv | undefined;
// Definitions arrive afresh with every bundle.json read: compiled once per distinct text.
const compiled = new Map<string, ValidateFunction>();
const compiledLimit = 256;

function validatorFor(definition: JsonSchemaDefinition): ValidateFunction {
  const key = JSON.stringify(definition);
  const known = compiled.get(key);
  if (known !== undefined) return known;
  // Porter's definitions carry keywords no validator needs (writeOnly, default); strict mode would refuse them.
  if (ajv === undefined) {
    ajv = new Ajv({ strict: false, allErrors: false });
    ajvFormats.default(ajv as never);
  }
  const validate = ajv.compile(definition);
  if (compiled.size >= compiledLimit) compiled.delete(compiled.keys().next().value as string);
  compiled.set(key, validate);
  return validate;
}

/** The value a text stands for, by the definition's type: JSON for objects and lists, a number, a boolean, or the text. */
function valueOf(type: unknown, text: string): { value: unknown } | { problem: string } {
  if (type === 'integer' || type === 'number') return { value: Number(text) };
  if (type === 'boolean') return { value: text === 'true' };
  if (type !== 'object' && type !== 'array') return { value: text };
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { problem: `must be written as JSON (${type === 'object' ? 'an object such as {"name": "x"}' : 'a list such as ["a", "b"]'})` };
  }
}

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value));

/** What a failed keyword asks of the value, in words. */
function rule(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'minimum':
      return `must be at least ${show(params.limit)}`;
    case 'maximum':
      return `must be at most ${show(params.limit)}`;
    case 'exclusiveMinimum':
      return `must be more than ${show(params.limit)}`;
    case 'exclusiveMaximum':
      return `must be less than ${show(params.limit)}`;
    case 'multipleOf':
      return `must be a multiple of ${show(params.multipleOf)}`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map(show).join(', ')}`;
    case 'const':
      return `must be ${show(params.allowedValue)}`;
    case 'pattern':
      return `must match the pattern ${show(params.pattern)}`;
    case 'minLength':
      return `must be at least ${show(params.limit)} characters long`;
    case 'maxLength':
      return `must be at most ${show(params.limit)} characters long`;
    case 'minItems':
      return `must have at least ${show(params.limit)} items`;
    case 'maxItems':
      return `must have at most ${show(params.limit)} items`;
    case 'minProperties':
      return `must have at least ${show(params.limit)} fields`;
    case 'maxProperties':
      return `must have at most ${show(params.limit)} fields`;
    case 'uniqueItems':
      return 'must not repeat an item';
    case 'required':
      return `must have the field ${show(params.missingProperty)}`;
    case 'additionalProperties':
      return `must not have the field ${show(params.additionalProperty)}`;
    case 'type':
      return `must be of type ${String(params.type)}`;
    case 'format':
      return `must be a valid ${String(params.format)}`;
    default:
      return error.message ?? 'does not fit its definition';
  }
}

/** `/server/port` as `server.port`, `/items/0` as `items[0]`. */
function fieldOf(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path === '' ? part : `${path}.${part}`), '');
}

/**
 * Why `text`, given for parameter `name`, breaks the JSON Schema `definition`, or undefined when
 * it holds: one sentence naming the parameter (and the field, inside an object) and the rule.
 * The value itself is never repeated: it may be a secret.
 */
export function parameterSchemaProblem(name: string, definition: JsonSchemaDefinition | undefined, text: string): string | undefined {
  // A file parameter's content is delivered as it is; its definition describes the base64 bundle.json form.
  if (definition === undefined || definition.contentEncoding !== undefined) return undefined;
  const read = valueOf(definition.type, text);
  if ('problem' in read) return `parameter ${name} ${read.problem}`;
  if (nestsTooDeep(read.value)) return `parameter ${name} ${nestingProblem}`;
  let validate: ValidateFunction;
  try {
    validate = validatorFor(definition);
  } catch (error) {
    return `parameter ${name} cannot be checked: its definition in bundle.json is not a valid JSON Schema (${(error as Error).message})`;
  }
  if (validate(read.value)) return undefined;
  const [error] = validate.errors ?? [];
  if (error === undefined) return `parameter ${name} does not fit its definition`;
  const field = fieldOf(error.instancePath);
  return `parameter ${name}${field === '' ? '' : ` field ${field}`} ${rule(error)} (${error.keyword} in its definition)`;
}
