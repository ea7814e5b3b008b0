/**
 * porter.yaml's `kubernetes:` steps, read as getporter/kubernetes-mixin reads them: each manifest
 * (a file or directory under /cnab/app, or a URL) is one `kubectl apply` (install, upgrade, custom
 * actions) or `kubectl delete` (uninstall), in the order given, then each output is one `kubectl
 * get TYPE NAME -o=jsonpath=…` whose whole standard output is the value. The words are the
 * mixin's, flag for flag, so a bundle behaves as it does under Porter.
 */
import { type Context } from './parse-context.js';
import type { ExecStep, TemplatedString } from './types.js';
import { type Located, type MapView } from './yaml-reader.js';

/** What the step reader lends: templates read as every step's are, and output names checked as exec's are. */
export interface KubernetesStepTools {
  template(value: Located): TemplatedString;
  claimOutput(nameValue: Located): string;
}

/** The fields the mixin's schema allows, by what the action runs. */
const commonFields = ['description', 'namespace', 'manifests', 'selector', 'context', 'kubeConfig', 'wait'];
const applyFields = [...commonFields, 'record', 'validate', 'outputs'];
const fieldsByCommand = {
  install: applyFields,
  // Upgrade and custom actions: the mixin's Execute, apply with its extra flags.
  execute: [...applyFields, 'force', 'gracePeriod', 'overwrite', 'prune', 'timeout'],
  uninstall: [...commonFields, 'force', 'gracePeriod', 'timeout'],
} as const;
const outputFields = ['name', 'resourceType', 'resourceName', 'namespace', 'jsonPath'];

const text = (value: string): TemplatedString => [{ kind: 'text', text: value }];
const prefixed = (prefix: string, value: TemplatedString): TemplatedString => [{ kind: 'text', text: prefix }, ...value];
const isEmpty = (value: TemplatedString): boolean => value.every((part) => part.kind === 'text' && part.text === '');

function optionalBoolean(ctx: Context, step: MapView, field: string): boolean | undefined {
  const value = step.get(field);
  return value === undefined || value.node === null ? undefined : ctx.reader.boolean(value);
}

function optionalInteger(ctx: Context, step: MapView, field: string, minimum: number): number | undefined {
  const value = step.get(field);
  if (value === undefined || value.node === null) return undefined;
  const number = ctx.reader.scalar(value);
  if (typeof number !== 'number' || !Number.isInteger(number) || number < minimum) ctx.reader.fail(value.at, value.path, `must be a whole number of seconds, ${minimum} or more`);
  return number;
}

/** A templated string field, absent when left out or empty (the mixin passes no flag then). */
function optionalTemplate(ctx: Context, tools: KubernetesStepTools, step: MapView, field: string): TemplatedString | undefined {
  const value = step.get(field);
  if (value === undefined || value.node === null) return undefined;
  const parts = tools.template(value);
  return isEmpty(parts) ? undefined : parts;
}

/** `--force` and `--grace-period`, as the mixin pairs them: force means a grace period of 0, and 0 means force. */
function forceWords(ctx: Context, step: MapView): TemplatedString[] {
  const force = optionalBoolean(ctx, step, 'force') === true;
  const gracePeriod = optionalInteger(ctx, step, 'gracePeriod', -1);
  if (force && gracePeriod !== undefined && gracePeriod !== 0) {
    const value = step.get('gracePeriod') as Located;
    ctx.reader.fail(value.at, value.path, 'must be 0 when force is true (force deletes at once); leave gracePeriod out or set force to false');
  }
  if (force || gracePeriod === 0) return [text('--force'), text('--grace-period=0')];
  return gracePeriod === undefined ? [] : [text(`--grace-period=${gracePeriod}`)];
}

function outputSteps(ctx: Context, tools: KubernetesStepTools, step: MapView, description: string | undefined): ExecStep[] {
  return ctx.reader.list(step.get('outputs')).flatMap((item) => {
    const output = ctx.reader.attempt(() => {
      const entry = ctx.reader.map(item);
      entry.refuseUnknown(outputFields);
      const name = tools.claimOutput(entry.require('name'));
      const args = [text('get'), tools.template(entry.require('resourceType')), tools.template(entry.require('resourceName')), prefixed('-o=jsonpath=', tools.template(entry.require('jsonPath')))];
      const namespace = optionalTemplate(ctx, tools, entry, 'namespace');
      if (namespace !== undefined) args.push(prefixed('--namespace=', namespace));
      const kept: ExecStep = { command: 'kubectl', arguments: args, flags: [], outputs: [{ name, stdout: true }], mixin: 'kubernetes' };
      if (description !== undefined) kept.description = description;
      return kept;
    });
    return output === undefined ? [] : [output];
  });
}

/** The kubectl steps one `kubernetes:` step of `action` runs. */
export function parseKubernetesStep(ctx: Context, tools: KubernetesStepTools, action: string, value: Located): ExecStep[] {
  const step = ctx.reader.map(value);
  const command = action === 'install' ? 'install' : action === 'uninstall' ? 'uninstall' : 'execute';
  // Each field is read even when another is wrong, so that every problem is reported at once.
  ctx.reader.attempt(() => step.refuseUnknown(fieldsByCommand[command]));
  const description = step.optionalString('description');
  const manifests = (ctx.reader.attempt(() => ctx.reader.list(step.require('manifests'))) ?? []).flatMap((item) => {
    const parts = ctx.reader.attempt(() => {
      const read = tools.template(item);
      if (isEmpty(read)) ctx.reader.fail(item.at, item.path, 'must name a manifest file or directory in the bundle, such as manifests/app.yaml');
      return read;
    });
    return parts === undefined ? [] : [parts];
  });
  const read = <T>(field: () => T): T | undefined => ctx.reader.attempt(field);
  const namespace = read(() => optionalTemplate(ctx, tools, step, 'namespace'));
  const selector = read(() => optionalTemplate(ctx, tools, step, 'selector'));
  const context = read(() => optionalTemplate(ctx, tools, step, 'context'));
  const kubeConfig = read(() => optionalTemplate(ctx, tools, step, 'kubeConfig'));
  const flag = (field: string): boolean | undefined => read(() => optionalBoolean(ctx, step, field));
  const force = (): TemplatedString[] => read(() => forceWords(ctx, step)) ?? [];

  const words: TemplatedString[] = [];
  if (namespace !== undefined) words.push(text('-n'), namespace);
  if (command !== 'uninstall') {
    if (flag('record') === true) words.push(text('--record=true'));
  } else {
    words.push(...force());
  }
  if (selector !== undefined) words.push(prefixed('--selector=', selector));
  if (context !== undefined) words.push(prefixed('--context=', context));
  if (kubeConfig !== undefined) words.push(prefixed('--kubeconfig=', kubeConfig));
  if (command !== 'uninstall' && flag('validate') === false) words.push(text('--validate=false'));
  if (command === 'execute') {
    words.push(...force());
    if (flag('prune') === true) words.push(text('--prune=true'));
    if (flag('overwrite') === false) words.push(text('--overwrite=false'));
  }
  const timeout = command === 'install' ? undefined : read(() => optionalInteger(ctx, step, 'timeout', 0));
  if (timeout !== undefined) words.push(text(`--timeout=${timeout}s`));
  if (flag('wait') ?? true) words.push(text('--wait'));

  const verb = command === 'uninstall' ? [text('delete'), text('--ignore-not-found=true')] : [text('apply')];
  const runs = manifests.map((manifest): ExecStep => {
    const run: ExecStep = { command: 'kubectl', arguments: [...verb, text('-f'), manifest, ...words], flags: [], outputs: [], mixin: 'kubernetes' };
    if (description !== undefined) run.description = description;
    return run;
  });
  return [...runs, ...(command === 'uninstall' ? [] : outputSteps(ctx, tools, step, description))];
}
