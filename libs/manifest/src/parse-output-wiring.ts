/**
 * `${ bundle.outputs.X }` in an action where no step captures X and X does not apply: the value
 * an earlier run recorded. Porter wires it through a parameter it generates, `porter-X-output`,
 * sourced from output X of the installation; Lading generates the same one, applying only to the
 * actions that read it, as sensitive as the output.
 */
import { type Context, type Declared } from './parse-context.js';
import { porterEnvName } from './dialect.js';
import type { ExecStep, ManifestOutput, ManifestParameter, TemplatedString } from './types.js';
import type { Located } from './yaml-reader.js';

/** Porter's name for the parameter that carries output `output` into a later action. */
export const outputWiringName = (output: string): string => `porter-${output}-output`;

/** The steps of one action, each reference to an earlier run's output read from its wiring parameter. */
export function wireEarlierOutputs(steps: ExecStep[], earlier: Set<string>): ExecStep[] {
  if (earlier.size === 0) return steps;
  const wire = (parts: TemplatedString): TemplatedString =>
    parts.map((part) => (part.kind === 'output' && earlier.has(part.name) ? { kind: 'parameter', name: outputWiringName(part.name) } : part));
  return steps.map((step) => ({ ...step, arguments: step.arguments.map(wire), flags: step.flags.map((flag) => ({ ...flag, values: flag.values.map(wire) })) }));
}

/**
 * The generated parameters for `wired` (output name → the actions reading it). A parameter the
 * manifest declares under the generated name or its variable is refused: the two would collide.
 */
export function outputWiringParameters(
  ctx: Context,
  wired: Map<string, Set<string>>,
  outputs: Declared<ManifestOutput>[],
  parameters: Declared<ManifestParameter>[],
): ManifestParameter[] {
  const generated: ManifestParameter[] = [];
  for (const [name, actions] of [...wired].sort(([a], [b]) => a.localeCompare(b))) {
    const output = outputs.find((o) => o.name === name);
    if (output === undefined) continue;
    const wiring = outputWiringName(name);
    const env = porterEnvName(wiring);
    const clash = parameters.find((p) => p.name === wiring || p.env === env);
    if (clash !== undefined) {
      ctx.reader.attempt(() =>
        ctx.reader.fail(clash.at.at, clash.at.path, `clashes with ${wiring} (variable ${env}), the parameter that carries output "${name}" into ${[...actions].sort().join(', ')}; rename the parameter`),
      );
      continue;
    }
    generated.push({
      name: wiring,
      description: `Output ${name} of the installation's earlier run, for the steps that template it; never set by hand.`,
      // Porter copies the output's definition: the recorded value is checked as the output was.
      type: output.type === undefined || output.type === 'file' ? 'string' : output.type,
      ...(output.schema === undefined ? {} : { schema: output.schema }),
      env,
      sensitive: output.sensitive,
      required: false,
      applyTo: [...actions].sort(),
      source: { output: name },
    });
  }
  return generated;
}

/** Porter's name for the parameter that carries output `output` of required bundle `dependency` into the steps. */
export const dependencyOutputWiringName = (dependency: string, output: string): string => `porter-${dependency}-${output}-dep-output`;

/** A step's use of an output of a required bundle: which, the actions reading it, and where it was first written. */
export interface DependencyOutputUse {
  dependency: string;
  output: string;
  actions: Set<string>;
  at: Located;
}

/**
 * The generated parameters for the outputs of required bundles the steps read, as Porter
 * generates them. Sensitive until the build reads the required bundle and learns otherwise, so a
 * value is never shown in clear on a guess. A declared parameter under the same name or variable
 * is refused.
 */
export function dependencyWiringParameters(ctx: Context, uses: Map<string, DependencyOutputUse>, parameters: Declared<ManifestParameter>[]): ManifestParameter[] {
  const generated: ManifestParameter[] = [];
  for (const [wiring, use] of [...uses].sort(([a], [b]) => a.localeCompare(b))) {
    const env = porterEnvName(wiring);
    const clash = parameters.find((p) => p.name === wiring || p.env === env);
    if (clash !== undefined) {
      ctx.reader.attempt(() =>
        ctx.reader.fail(clash.at.at, clash.at.path, `clashes with ${wiring} (variable ${env}), the parameter that carries output "${use.output}" of dependency ${use.dependency}; rename the parameter`),
      );
      continue;
    }
    generated.push({
      name: wiring,
      description: `Output ${use.output} of dependency ${use.dependency}, for the steps that template it; never set by hand.`,
      type: 'string',
      env,
      sensitive: true,
      required: false,
      applyTo: [...use.actions].sort(),
      source: { output: use.output, dependency: use.dependency },
    });
  }
  return generated;
}
