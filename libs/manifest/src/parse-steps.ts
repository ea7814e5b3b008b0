import { isSeq } from 'yaml';
import { hasOwnName } from '@lading/contracts';
import { appliesTo } from '@lading/cnab';
import { type Context } from './parse-context.js';
import { porterWords } from './porter-words.js';
import { compileJsonPath } from './json-path.js';
import { countCaptureGroups } from './regex-groups.js';
import { flagNamePattern, pathProblem } from './rules.js';
import { parseTemplate } from './templates.js';
import { parseKubernetesStep } from './parse-kubernetes-step.js';
import { dependencyOutputWiringName, wireEarlierOutputs, type DependencyOutputUse } from './parse-output-wiring.js';
import type { ExecFlag, ExecStep, ManifestCredential, ManifestImage, ManifestOutput, ManifestParameter, StepOutput, TemplatedString } from './types.js';
import { childPath, type Located } from './yaml-reader.js';

/** What the steps of one action may refer to. */
export interface StepScope {
  action: string;
  credentials: Map<string, ManifestCredential>;
  parameters: Map<string, ManifestParameter>;
  outputs: Map<string, ManifestOutput>;
  images: Record<string, ManifestImage>;
  /** Filled while reading: each output an earlier run wrote that a step reads, with the actions reading it. */
  earlierOutputs: Map<string, Set<string>>;
  /** The aliases of `dependencies.requires`. */
  dependencies: Set<string>;
  /** Filled while reading: each output of a required bundle a step reads, by the name of the parameter that carries it. */
  dependencyOutputs: Map<string, DependencyOutputUse>;
}

/** Output references are checked once the whole action is read: a later step may not be what defines it, an earlier one is. */
interface ActionReading {
  scope: StepScope;
  outputReferences: { name: string; at: Located }[];
  stepOutputs: Set<string>;
}

/** The mixins porter.yaml may declare and use; lading.yaml has exec steps only. */
export const porterMixins: readonly string[] = ['exec', 'kubernetes'];

/** What to do instead of a mixin Lading does not have (in `mixins:` and in a step). */
export function mixinAdvice(ctx: Context): string {
  return ctx.dialect === 'porter'
    ? 'Lading runs only the exec and kubernetes mixins: call the tool from an exec step, on a base image or a dockerfile template that installs it'
    : 'Lading runs only the exec mixin: call the tool from an exec step, on a base image or a dockerfile template that installs it';
}

/**
 * `bundle.parameters.config.name` where no parameter is named `config.name`: field `name` of
 * object parameter `config` (the longest declared name wins), as Porter's templates read it.
 */
function objectField(ctx: Context, scope: StepScope, reference: string, value: Located): { name: string; field: string[] } | undefined {
  if (scope.parameters.has(reference)) return undefined;
  const owner = [...scope.parameters.values()].filter((p) => reference.startsWith(`${p.name}.`)).sort((a, b) => b.name.length - a.name.length)[0];
  if (owner === undefined) return undefined;
  const field = reference.slice(owner.name.length + 1).split('.');
  if (owner.type !== 'object') {
    ctx.reader.fail(value.at, value.path, `reads field "${field.join('.')}" of parameter "${owner.name}", which is of type ${owner.type}; only object parameters have fields`);
  }
  if (field.some((key) => key === '')) ctx.reader.fail(value.at, value.path, `reads an empty field name of parameter "${owner.name}"`);
  if (!appliesTo(owner.applyTo, scope.action)) {
    ctx.reader.fail(value.at, value.path, `refers to parameter "${owner.name}", which does not apply to action ${scope.action}; add ${scope.action} to its applyTo`);
  }
  return { name: owner.name, field };
}

function templated(ctx: Context, reading: ActionReading, value: Located): TemplatedString {
  const { scope } = reading;
  const raw = ctx.reader.scalar(value);
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
    ctx.reader.fail(value.at, value.path, 'must be a string, number or boolean');
  }
  const parts = parseTemplate(String(raw), ctx.delimiters, ctx.constants);
  if (typeof parts === 'string') ctx.reader.fail(value.at, value.path, parts);
  return parts.map((part): TemplatedString[number] => {
    if (part.kind === 'text' || part.kind === 'installation-name') return part;
    if (part.kind === 'dependency' || part.kind === 'dependency-output') {
      if (!scope.dependencies.has(part.dependency)) {
        ctx.reader.fail(value.at, value.path, `refers to dependency "${part.dependency}", which dependencies.requires does not declare`);
      }
      if (part.kind === 'dependency') return part;
      // Porter's wiring: a generated parameter sourced from the output of the dependency's installation.
      const wiring = dependencyOutputWiringName(part.dependency, part.name);
      const use = scope.dependencyOutputs.get(wiring) ?? { dependency: part.dependency, output: part.name, actions: new Set<string>(), at: value };
      scope.dependencyOutputs.set(wiring, { ...use, actions: use.actions.add(scope.action) });
      return { kind: 'parameter', name: wiring };
    }
    if (part.kind === 'output') {
      reading.outputReferences.push({ name: part.name, at: value });
      return part;
    }
    if (part.kind === 'image') {
      if (!hasOwnName(scope.images, part.name)) ctx.reader.fail(value.at, value.path, `refers to image "${part.name}", which is not declared under images`);
      return part;
    }
    const field = part.kind === 'parameter' ? objectField(ctx, scope, part.name, value) : undefined;
    if (field !== undefined) return { kind: 'parameter', name: field.name, field: field.field };
    const declared = part.kind === 'parameter' ? scope.parameters.get(part.name) : scope.credentials.get(part.name);
    if (declared === undefined) {
      ctx.reader.fail(value.at, value.path, `refers to ${part.kind} "${part.name}", which is not declared under ${part.kind}s`);
    }
    if (!appliesTo(declared.applyTo, scope.action)) {
      ctx.reader.fail(value.at, value.path, `refers to ${part.kind} "${part.name}", which does not apply to action ${scope.action}; add ${scope.action} to its applyTo`);
    }
    // Porter: a value delivered as a file templates to its path.
    return ctx.dialect === 'porter' && declared.path !== undefined ? { ...part, asPath: true } : part;
  });
}

function parseFlags(ctx: Context, reading: ActionReading, value: Located | undefined): ExecFlag[] {
  if (value === undefined || value.node === null) return [];
  const flags = ctx.reader.map(value);
  const porter = ctx.dialect === 'porter';
  const parsed = flags.keys().flatMap(({ key, at }): ExecFlag[] => {
    const path = childPath(flags.path, key);
    if (!flagNamePattern.test(key)) ctx.reader.fail(at, path, 'is not a valid flag name; use letters, digits, ., _ or -');
    const flagValue = flags.get(key) as Located;
    if (flagValue.node === null) return [{ name: key, values: [] }];
    if (isSeq(flagValue.node)) {
      return [{ name: key, values: ctx.reader.list(flagValue).map((item) => templated(ctx, reading, item)) }];
    }
    const scalar = ctx.reader.scalar(flagValue);
    // Porter writes every value after the flag, true and false included.
    if (!porter && scalar === false) return [];
    if (!porter && (scalar === true || scalar === '')) return [{ name: key, values: [] }];
    return [{ name: key, values: [templated(ctx, reading, flagValue)] }];
  });
  // Porter passes flags in name order, whatever order the manifest has.
  return porter ? parsed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) : parsed;
}

const flagWord = (name: string): TemplatedString => [{ kind: 'text', text: name.length === 1 ? `-${name}` : `--${name}` }];

/**
 * Porter's command line: the arguments as they are (one each, a multi-line `sh -c` script
 * included), then each flag and its values split into words, then the suffix arguments as they
 * are. Porter's exec mixin has split only flags since 1.0 (getporter/porter#2091).
 */
function porterArguments(args: TemplatedString[], flags: ExecFlag[], suffix: TemplatedString[]): TemplatedString[] {
  const flagged = flags.flatMap((flag) => (flag.values.length === 0 ? [flagWord(flag.name)] : flag.values.flatMap((v) => [flagWord(flag.name), v])));
  return [...args, ...flagged.flatMap(porterWords), ...suffix];
}

function parseRegex(ctx: Context, regex: Located): { regex: string; groups?: number } {
  const pattern = ctx.reader.string(regex);
  try {
    new RegExp(pattern);
  } catch {
    ctx.reader.fail(regex.at, regex.path, 'is not a valid regular expression');
  }
  // The run script matches with grep -E: POSIX extended syntax, without JavaScript-only forms.
  if (/\\d|\\D|\\w|\\W|\\s|\\S|\(\?/.test(pattern)) {
    ctx.reader.fail(regex.at, regex.path, 'must be a POSIX extended regular expression: write [0-9] for \\d, [[:space:]] for \\s and leave out (?…) groups');
  }
  if ([...pattern].some((char) => char.charCodeAt(0) < 0x20)) ctx.reader.fail(regex.at, regex.path, 'must not hold control characters; write them as a bracket expression such as [[:cntrl:]]');
  // Porter takes a regex that can match empty text, such as (.*); lading.yaml refuses it as a mistake.
  if (pattern === '' || (ctx.dialect !== 'porter' && new RegExp(pattern).test(''))) {
    ctx.reader.fail(regex.at, regex.path, 'must not match empty text; it would capture nothing useful');
  }
  if (ctx.dialect !== 'porter') return { regex: pattern };
  const groups = countCaptureGroups(pattern);
  if (groups > 8) ctx.reader.fail(regex.at, regex.path, 'has more than 8 capture groups; Lading keeps at most 8');
  return { regex: pattern, groups };
}

/** A step output's name, checked against the outputs the manifest declares. */
function claimOutputName(ctx: Context, reading: ActionReading, nameValue: Located): string {
  const { scope } = reading;
  const name = ctx.reader.string(nameValue);
  const declared = scope.outputs.get(name);
  // Porter: a step output that is no bundle output is for the later steps of the action only.
  if (declared === undefined && ctx.dialect !== 'porter') {
    ctx.reader.fail(nameValue.at, nameValue.path, `names output "${name}", which is not declared under outputs`);
  }
  if (declared !== undefined && !appliesTo(declared.applyTo, scope.action)) {
    ctx.reader.fail(nameValue.at, nameValue.path, `names output "${name}", which does not apply to action ${scope.action}; add ${scope.action} to its applyTo`);
  }
  reading.stepOutputs.add(name);
  return name;
}

function parseStepOutput(ctx: Context, reading: ActionReading, item: Located): StepOutput {
  const porter = ctx.dialect === 'porter';
  const entry = ctx.reader.map(item);
  entry.refuseUnknown(porter ? ['name', 'regex', 'path', 'jsonPath', 'sensitive', 'description'] : ['name', 'regex', 'path', 'jsonPath']);
  const name = claimOutputName(ctx, reading, entry.require('name'));
  const jsonPath = entry.get('jsonPath');
  const regex = entry.get('regex');
  const path = entry.get('path');
  if ([jsonPath, regex, path].filter((field) => field !== undefined).length !== 1) {
    ctx.reader.fail(entry.node, entry.path, 'must have exactly one of regex or jsonPath (read from the step\'s output) or path (a file the step writes)');
  }
  if (jsonPath !== undefined) {
    const text = ctx.reader.string(jsonPath);
    const compiled = compileJsonPath(text);
    if ('problem' in compiled) ctx.reader.fail(jsonPath.at, jsonPath.path, compiled.problem);
    return { name, jsonPath: text, program: compiled.program };
  }
  if (regex !== undefined) return { name, ...parseRegex(ctx, regex) };
  const file = ctx.reader.string(path as Located);
  const problem = pathProblem(file);
  if (problem !== undefined) ctx.reader.fail((path as Located).at, (path as Located).path, problem);
  return { name, path: file };
}

function parseStep(ctx: Context, reading: ActionReading, item: Located): ExecStep[] {
  const wrapper = ctx.reader.map(item, 'a step like "- exec: { command: … }"');
  const mixins = wrapper.keys();
  const porter = ctx.dialect === 'porter';
  for (const { key, at } of mixins) {
    const path = childPath(item.path, key);
    if (!(porter ? porterMixins : ['exec']).includes(key)) ctx.reader.fail(at, path, `uses the ${key} mixin, which Lading does not have; ${mixinAdvice(ctx)}`);
    // Porter runs only the mixins a manifest declares; exec is kept without it, as Lading always has.
    if (key !== 'exec' && !ctx.mixins.has(key)) ctx.reader.fail(at, path, `uses the ${key} mixin, which mixins does not declare; add "- ${key}" to mixins`);
  }
  if (mixins.length !== 1) ctx.reader.fail(item.at, item.path, porter ? 'must hold exactly one mixin: exec or kubernetes' : 'must hold exactly one exec mixin');
  const kubernetes = wrapper.get('kubernetes');
  if (kubernetes !== undefined) {
    const tools = { template: (value: Located) => templated(ctx, reading, value), claimOutput: (nameValue: Located) => claimOutputName(ctx, reading, nameValue) };
    return parseKubernetesStep(ctx, tools, reading.scope.action, kubernetes);
  }
  const exec = ctx.reader.map(wrapper.require('exec'));
  const fields = ['description', 'command', 'arguments', 'flags', 'outputs'];
  exec.refuseUnknown(porter ? [...fields, 'suffix-arguments'] : fields);
  const commandValue = exec.require('command');
  const command = ctx.reader.string(commandValue);
  if (command.trim() === '' || command.includes('{{') || command.includes('${') || /[\n\0]/.test(command)) {
    ctx.reader.fail(commandValue.at, commandValue.path, 'must be a program name or path, without templates; pass values as arguments');
  }
  const read = (field: string): TemplatedString[] => ctx.reader.list(exec.get(field)).map((arg) => templated(ctx, reading, arg));
  const args = read('arguments');
  const flags = parseFlags(ctx, reading, exec.get('flags'));
  const outputs = ctx.reader.list(exec.get('outputs')).map((output) => parseStepOutput(ctx, reading, output));
  const step: ExecStep = porter
    ? { command, arguments: porterArguments(args, flags, read('suffix-arguments')), flags: [], outputs }
    : { command, arguments: args, flags, outputs };
  const description = exec.optionalString('description');
  if (description !== undefined) step.description = description;
  return [step];
}

/** The steps of one action; every step is read even when an earlier one is wrong. */
export function parseActionSteps(ctx: Context, scope: StepScope, steps: Located[]): ExecStep[] {
  const reading: ActionReading = { scope, outputReferences: [], stepOutputs: new Set() };
  const parsed = steps.flatMap((item) => {
    return ctx.reader.attempt(() => parseStep(ctx, reading, item)) ?? [];
  });
  const earlier = new Set<string>();
  for (const { name, at } of reading.outputReferences) {
    ctx.reader.attempt(() => {
      if (reading.stepOutputs.has(name)) return;
      const declared = scope.outputs.get(name);
      if (declared === undefined) {
        ctx.reader.fail(at.at, at.path, `refers to output "${name}", which no step of ${scope.action} captures and the manifest does not declare under outputs`);
      }
      if (appliesTo(declared.applyTo, scope.action)) return;
      // Not written in this action: the value an earlier run recorded, as Porter reads it.
      earlier.add(name);
      scope.earlierOutputs.set(name, (scope.earlierOutputs.get(name) ?? new Set<string>()).add(scope.action));
    });
  }
  return wireEarlierOutputs(parsed, earlier);
}
