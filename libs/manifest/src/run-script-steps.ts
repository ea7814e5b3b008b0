import { fieldProgram } from './json-path.js';
import { mixinEnvironment, mixinGuardLines } from './run-script-mixins.js';
import { fieldVariable, fileValueVariable, shellQuote, shellWord } from './shell.js';
import type { ExecStep, Manifest, StepOutput, TemplatedString } from './types.js';

/** A bare name is looked up as Porter does: on PATH, then in the bundle directory. */
const commandWord = (command: string): string => (command.includes('/') ? shellQuote(command) : `"$(lading_command ${shellQuote(command)})"`);

function commandLine(step: ExecStep, manifest: Manifest): string {
  const words = [commandWord(step.command), ...step.arguments.map((arg) => shellWord(arg, manifest))];
  for (const flag of step.flags) {
    const flagWord = shellQuote(flag.name.length === 1 ? `-${flag.name}` : `--${flag.name}`);
    if (flag.values.length === 0) words.push(flagWord);
    for (const value of flag.values) words.push(flagWord, shellWord(value, manifest));
  }
  return words.join(' ');
}

/** The names of the file-delivered values a step's arguments and flags refer to. */
function fileReferences(step: ExecStep, manifest: Manifest): string[] {
  const templated: TemplatedString[] = [...step.arguments, ...step.flags.flatMap((flag) => flag.values)];
  const delivered = [...manifest.credentials, ...manifest.parameters];
  const names = templated.flatMap((parts) =>
    parts.flatMap((part) =>
      (part.kind === 'parameter' || part.kind === 'credential') &&
      part.asPath !== true &&
      !(part.kind === 'parameter' && part.field !== undefined) &&
      delivered.find((d) => d.name === part.name)?.env === undefined
        ? [part.name]
        : [],
    ),
  );
  return [...new Set(names)];
}

/**
 * Reads each file-delivered value a step uses into a variable, byte for byte: the trailing x
 * keeps the trailing newlines that command substitution would drop, so the argument is the
 * value as delivered (a shell argument cannot hold a NUL; the redactor knows that form).
 */
function fileValueReads(step: ExecStep, manifest: Manifest): { before: string[]; after: string[] } {
  const names = fileReferences(step, manifest);
  return {
    before: names.flatMap((name) => {
      const variable = fileValueVariable(name, manifest);
      return [
        `  ${variable}=$(cat "$LADING_SECRETS_DIR/${name}" 2>/dev/null; printf x)`,
        `  ${variable}=\${${variable}%x}`,
      ];
    }),
    after: names.map((name) => `  ${fileValueVariable(name, manifest)}=''`),
  };
}

/**
 * Reads each object field a step's templates use into a variable (empty when the value is not
 * JSON or has no such field, as Porter's templates render a missing field), announcing the
 * field's value as one to mask when the parameter is sensitive.
 */
function fieldReads(step: ExecStep, manifest: Manifest): { before: string[]; after: string[] } {
  const templated: TemplatedString[] = [...step.arguments, ...step.flags.flatMap((flag) => flag.values)];
  const fields = new Map<string, { name: string; field: string[] }>();
  for (const part of templated.flat()) {
    if (part.kind === 'parameter' && part.field !== undefined) fields.set(fieldVariable(part.name, part.field), { name: part.name, field: part.field });
  }
  const before = [...fields].flatMap(([variable, { name, field }]) => {
    const parameter = manifest.parameters.find((p) => p.name === name);
    if (parameter === undefined) throw new Error(`The manifest refers to undeclared parameter "${name}"; parse it with parseManifest first.`);
    const source = parameter.env !== undefined ? `printf '%s' "$${parameter.env}" | ` : '';
    const input = parameter.env !== undefined ? '' : ` < "$LADING_SECRETS_DIR/${name}"`;
    return [
      `  ${variable}=$(${source}lading_json ${shellQuote(fieldProgram(field))}${input} 2>/dev/null; printf x)`,
      `  ${variable}=\${${variable}%x}`,
      ...(parameter.sensitive ? [`  lading_mask_text "$${variable}"`] : []),
    ];
  });
  return { before, after: [...fields.keys()].map((variable) => `  ${variable}=''`) };
}

/** sed's replacement for a match of `^(regex)$`: the regex's own groups (2…), one a line. */
function groupsReplacement(groups: number): string {
  return Array.from({ length: groups }, (_, i) => `\\${i + 2}`).join('\\\n');
}

/** A capture that reads the step's output in /tmp: regex and jsonPath outputs. */
type TeeOutput = Exclude<StepOutput, { path: string } | { stdout: true }>;
const readsTee = (output: StepOutput): output is TeeOutput => !('path' in output) && !('stdout' in output);

function captureLine(output: Exclude<StepOutput, { stdout: true }>): string {
  if ('jsonPath' in output) return `  lading_capture_json ${shellQuote(output.name)} ${shellQuote(output.program)} "$lading_tmp/stdout" || return 1`;
  if ('path' in output) return `  lading_capture_file ${shellQuote(output.name)} ${shellQuote(output.path)} || return 1`;
  if (output.groups !== undefined) {
    return `  lading_capture_groups ${shellQuote(output.name)} ${shellQuote(output.regex)} ${shellQuote(groupsReplacement(output.groups))} "$lading_tmp/stdout"`;
  }
  return `  lading_capture_regex ${shellQuote(output.name)} ${shellQuote(output.regex)} "$lading_tmp/stdout"`;
}

/** Announces the value a sensitive capture takes, read from where the capture reads it. */
function maskLine(output: Exclude<StepOutput, { stdout: true }>): string {
  if ('jsonPath' in output) return `${captureLine(output)}\n  lading_mask_lines "$LADING_OUTPUTS_DIR/"${shellQuote(output.name)}`;
  if ('path' in output) return `  lading_mask_file ${shellQuote(output.path)}`;
  if (output.groups !== undefined) return `${captureLine(output)}\n  lading_mask_lines "$LADING_OUTPUTS_DIR/"${shellQuote(output.name)}`;
  return `  lading_mask_regex ${shellQuote(output.regex)} "$lading_tmp/stdout"`;
}

/**
 * The lines of one exec step. A step that captures a sensitive output keeps its output in
 * /tmp until it ends; the run script then announces the captured values in mask frames and
 * only then replays the output (stdout, then stderr, both on stdout), so the runner masks the
 * values even where the step printed them. Every step ends by announcing the sensitive outputs already in
 * the outputs directory, however they got there.
 */
export function stepLines(step: ExecStep, index: number, manifest: Manifest, sensitiveOutputs: string[]): string[] {
  const label = step.description ?? `step ${index + 1}`;
  const files = fileValueReads(step, manifest);
  const fields = fieldReads(step, manifest);
  const reads = { before: [...files.before, ...fields.before], after: [...files.after, ...fields.after] };
  const lines = [`  lading_step_begin ${index + 1}`, `  printf 'lading: %s\\n' ${shellQuote(label)} >&2`, ...mixinGuardLines(step), ...reads.before];
  const command = `${mixinEnvironment(step)}${commandLine(step, manifest)} </dev/null`;
  const kept = step.outputs.find((output) => 'stdout' in output);
  const captured = step.outputs.filter((output): output is Exclude<StepOutput, { stdout: true }> => !('stdout' in output));
  const sensitive = captured.filter((output) => sensitiveOutputs.includes(output.name));
  const announce = `  lading_mask_outputs ${shellQuote(sensitiveOutputs.join(' '))}`;
  if (kept !== undefined) {
    // Kept, not shown (as the mixin keeps what kubectl get prints); a failed step leaves no output behind.
    const file = `"$LADING_OUTPUTS_DIR/"${shellQuote(kept.name)}`;
    lines.push(`  ${command} >${file} || { lading_step_status=$?; rm -f ${file}; return "$lading_step_status"; }`, ...reads.after);
  } else if (sensitive.length > 0) {
    lines.push(
      '  lading_step_status=0',
      `  ${command} >"$lading_tmp/stdout" 2>"$lading_tmp/stderr" || lading_step_status=$?`,
      ...reads.after,
      ...sensitive.map(maskLine),
      // Both on stdout: Docker keeps the order of one stream only, and the mask frames are on stdout.
      '  cat "$lading_tmp/stdout" "$lading_tmp/stderr"',
      '  [ "$lading_step_status" -eq 0 ] || return "$lading_step_status"',
    );
  } else {
    // Only steps with regex or jsonPath outputs go through tee, so the others keep their stdout as it is.
    const captures = step.outputs.some(readsTee);
    lines.push(captures ? `  ${command} | tee "$lading_tmp/stdout" || return $?` : `  ${command} || return $?`, ...reads.after);
  }
  lines.push(...captured.map(captureLine));
  if (sensitiveOutputs.length > 0) lines.push(announce);
  return lines;
}

/** Whether a step needs the run script's temporary directory (regex and jsonPath captures, buffered output). */
export function stepNeedsTmp(step: ExecStep, sensitiveOutputs: string[]): boolean {
  return step.outputs.some((output) => readsTee(output) || (!('stdout' in output) && sensitiveOutputs.includes(output.name)));
}
