import { ownValue } from '@lading/contracts';
import { appliesTo } from '@lading/cnab';
import { APP_DIR, builtInActions, IMAGE_APP_DIR, OUTPUTS_DIR, RUN_SCRIPT_USAGE_EXIT, SECRETS_DIR, STATE_VALUE_NAME } from './constants.js';
import { nonceDigits } from './run-protocol.js';
import { stepLines, stepNeedsTmp } from './run-script-steps.js';
import { jsonReaderAwk } from './json-reader-awk.js';
import { stateActions, stateFunctionLines } from './state-files.js';
import { imageVariable, shellQuote } from './shell.js';
import type { Manifest, ParameterValue } from './types.js';

export interface RunScriptOptions {
  /** Each image of the manifest pinned by the builder (`repo@sha256:…`), for `bundle.images.NAME` templates. */
  images?: Record<string, string>;
}

/** Where a run finds the relocation mapping when its bundle was copied to another registry (CNAB). */
export const RELOCATION_MAPPING_PATH = `${APP_DIR}/relocation-mapping.json`;

const nonceRule = `the nonce must be ${nonceDigits.min} to ${nonceDigits.max} lower-case hexadecimal digits`;

const textOf = (value: ParameterValue): string => (typeof value === 'object' ? JSON.stringify(value) : String(value));

function caseLine(patterns: string[], body: string): string[] {
  return patterns.length === 0 ? [] : [`        ${patterns.join('|')}) ${body} ;;`];
}

function defaultLines(manifest: Manifest): string[] {
  const lines: string[] = [];
  for (const parameter of manifest.parameters) {
    if (parameter.default === undefined || parameter.sensitive) continue;
    const value = shellQuote(textOf(parameter.default));
    if (parameter.env !== undefined) lines.push(`[ "\${${parameter.env}+set}" = set ] || export ${parameter.env}=${value}`);
    if (parameter.path !== undefined) {
      const file = `"$LADING_SECRETS_DIR/${parameter.name}"`;
      lines.push(`[ -e ${file} ] || { printf '%s' ${value} > ${file}; } 2>/dev/null`);
    }
  }
  return lines;
}

/**
 * The outputs of an action the runner must mask: the sensitive ones, and step outputs no bundle
 * output declares (porter.yaml; Porter masks those too).
 */
function sensitiveOutputsOf(manifest: Manifest, action: string): string[] {
  const declared = manifest.outputs.filter((output) => output.sensitive && appliesTo(output.applyTo, action)).map((output) => output.name);
  const stepOnly = (manifest.actions[action] ?? []).flatMap((step) => step.outputs.map((o) => o.name)).filter((name) => !manifest.outputs.some((o) => o.name === name));
  return [...new Set([...declared, ...stepOnly])];
}

/** Lines that set each image variable: the pinned reference, or where the relocation mapping says it now is. */
function imageLines(manifest: Manifest, options: RunScriptOptions): string[] {
  const referenced = new Set(
    Object.values(manifest.actions)
      .flat()
      .flatMap((step) => [...step.arguments, ...step.flags.flatMap((flag) => flag.values)].flat())
      .flatMap((part) => (part.kind === 'image' ? [part.name] : [])),
  );
  return [...referenced].map((name) => {
    const pinned = ownValue(options.images, name);
    if (pinned === undefined) throw new Error(`Image "${name}" has no pinned reference; pass every image of the manifest to renderRunScript.`);
    return `${imageVariable(name, manifest)}=$(lading_relocated ${shellQuote(pinned)})`;
  });
}

/** After the steps: an output with a bundle-level path is taken from that file when no step wrote it. */
function unboundOutputLines(manifest: Manifest, action: string): string[] {
  return manifest.outputs.flatMap((output) =>
    output.path === undefined || !appliesTo(output.applyTo, action)
      ? []
      : [`  [ -f "$LADING_OUTPUTS_DIR/"${shellQuote(output.name)} ] || [ ! -f ${shellQuote(output.path)} ] || cp ${shellQuote(output.path)} "$LADING_OUTPUTS_DIR/"${shellQuote(output.name)} || return 1`],
  );
}

/** Whether any step reads JSON: a jsonPath output or an object parameter's field. */
function readsJson(manifest: Manifest): boolean {
  return Object.values(manifest.actions)
    .flat()
    .some(
      (step) =>
        step.outputs.some((output) => 'jsonPath' in output) ||
        [...step.arguments, ...step.flags.flatMap((flag) => flag.values)].flat().some((part) => part.kind === 'parameter' && part.field !== undefined),
    );
}

/** The run script's JSON reader and what uses it; only in scripts whose steps read JSON. */
const jsonLines = [
  '# Porter\'s JSONPath over JSON on standard input; the program is the build\'s reading of it.',
  'lading_json() {',
  `  LC_ALL=C LADING_JSON_PATH=$1 awk ${shellQuote(jsonReaderAwk)}`,
  '}',
  '',
  'lading_capture_json() {',
  '  if lading_json "$2" < "$3" > "$LADING_OUTPUTS_DIR/$1"; then return 0; fi',
  '  rm -f "$LADING_OUTPUTS_DIR/$1"',
  `  printf 'lading: output %s: the jsonPath could not be read from the step output\\n' "$1" >&2`,
  '  return 1',
  '}',
  '',
  '# A value (a sensitive parameter\'s field) the runner must mask from here on.',
  'lading_mask_text() {',
  '  [ -n "$1" ] || return 0',
  `  printf '%s mask ' "$lading_nonce"`,
  "  printf '%s' \"$1\" | base64 -w 0",
  "  printf '\\n'",
  '}',
  '',
];

/**
 * The text of /cnab/app/run: reads values and the action from standard input, runs the action's
 * exec steps, then prints each output as a line framed with the runner's nonce.
 */
export function renderRunScript(manifest: Manifest, options: RunScriptOptions = {}): string {
  const delivered = [...manifest.credentials, ...manifest.parameters];
  const envNames = delivered.flatMap((d) => (d.env === undefined ? [] : [shellQuote(d.env)]));
  const keepsState = (manifest.state ?? []).length > 0;
  const fileTargets = [...delivered.flatMap((d) => (d.path === undefined ? [] : [d.name])), ...(keepsState ? [STATE_VALUE_NAME] : [])].map((name) => `"$LADING_SECRETS_DIR/${name}"`);
  const statefulActions = keepsState ? stateActions(manifest) : [];
  const actionNames = [...new Set([...builtInActions, ...Object.keys(manifest.actions)])];
  const needsTmp = Object.entries(manifest.actions).some(([action, steps]) => steps.some((step) => stepNeedsTmp(step, sensitiveOutputsOf(manifest, action))));

  const functions: string[] = [];
  const dispatch: string[] = [];
  actionNames.forEach((action, index) => {
    const keepsStateHere = statefulActions.includes(action);
    const outputs = [...manifest.outputs.filter((o) => appliesTo(o.applyTo, action)).map((o) => o.name), ...(keepsStateHere ? [STATE_VALUE_NAME] : [])];
    const steps = manifest.actions[action];
    const outputList = shellQuote(outputs.join(' '));
    if (steps === undefined) {
      // A built-in action the manifest leaves out succeeds doing nothing, so uninstall always works.
      dispatch.push(
        `  ${shellQuote(action)}) printf 'lading: this bundle has no %s steps; nothing to do\\n' ${shellQuote(action)} >&2; lading_status=0; lading_outputs='' ;;`,
      );
      return;
    }
    functions.push(
      `# ${action}`,
      `lading_run_${index}() {`,
      // One pipe for everything the steps print, in the order they print it: Docker keeps the
      // order within a stream only, and the runner masks values over one ordered stream, so a value
      // written half to stderr and half to stdout is still one value to it.
      '  exec 2>&1',
    );
    const sensitive = sensitiveOutputsOf(manifest, action);
    steps.forEach((step, stepIndex) => functions.push(...stepLines(step, stepIndex, manifest, sensitive)));
    const unbound = unboundOutputLines(manifest, action);
    functions.push(...unbound, ...(unbound.length > 0 && sensitive.length > 0 ? [`  lading_mask_outputs ${shellQuote(sensitive.join(' '))}`] : []));
    functions.push('  return 0', '}', '');
    // State is kept after a failing action too, as Porter does; a state that cannot be kept fails the run.
    const save = keepsStateHere ? ' lading_state_save || { [ "$lading_status" -ne 0 ] || lading_status=1; };' : '';
    dispatch.push(`  ${shellQuote(action)}) lading_run_${index}; lading_status=$?; lading_step_end "$lading_status";${save} lading_outputs=${outputList} ;;`);
  });

  return [
    '#!/bin/sh',
    `# Generated by Lading for bundle ${manifest.name} ${manifest.version}; rebuild the bundle rather than editing it.`,
    '# Values arrive on standard input and live only in this process: never in the image, its',
    '# environment as Docker sees it, or this file.',
    'umask 077',
    '# A failing step piped through tee must fail the run: a /bin/sh without pipefail (dash, on',
    '# Debian) hands the script to bash, with standard input still unread.',
    'if ! (set -o pipefail) 2>/dev/null; then',
    '  command -v bash >/dev/null 2>&1 && exec bash "$0" "$@"',
    `  printf 'lading: the base image has neither a /bin/sh with pipefail nor bash\\n' >&2`,
    `  exit ${RUN_SCRIPT_USAGE_EXIT}`,
    'fi',
    'set -o pipefail',
    `LADING_OUTPUTS_DIR="\${LADING_OUTPUTS_DIR:-${OUTPUTS_DIR}}"`,
    `LADING_SECRETS_DIR="\${LADING_SECRETS_DIR:-${SECRETS_DIR}}"`,
    `LADING_RELOCATION_MAPPING="\${LADING_RELOCATION_MAPPING:-${RELOCATION_MAPPING_PATH}}"`,
    '',
    'lading_usage_error() {',
    `  printf 'lading: %s\\n' "$1" >&2`,
    `  exit ${RUN_SCRIPT_USAGE_EXIT}`,
    '}',
    '',
    'lading_check_base64() {',
    '  case $1 in',
    `    *[!A-Za-z0-9+/=]*) lading_usage_error "the $2 line does not hold base64" ;;`,
    '  esac',
    '}',
    '',
    'lading_capture_regex() {',
    '  if grep -oE -- "$2" "$3" > "$LADING_OUTPUTS_DIR/$1"; then return 0; fi',
    '  rm -f "$LADING_OUTPUTS_DIR/$1"',
    `  printf 'lading: output %s: nothing in the step output matched\\n' "$1" >&2`,
    '}',
    '',
    '# Porter keeps the capture groups of every match, one a line (empty when the regex has none).',
    'lading_capture_groups() {',
    // sed's delimiter is a control character, which no regex of the manifest holds.
    "  lading_soh=$(printf '\\001')",
    // Porter joins the groups with newlines and adds none at the end.
    `  lading_groups=$(grep -oE -- "$2" "$4" | sed -E "s\${lading_soh}^($2)\\$\${lading_soh}$3\${lading_soh}")`,
    `  printf '%s' "$lading_groups" > "$LADING_OUTPUTS_DIR/$1"`,
    "  lading_groups=''",
    '}',
    '',
    ...(readsJson(manifest) ? jsonLines : []),
    '# As Porter: a bare command name is looked up on PATH, then in the bundle directory.',
    'lading_command() {',
    '  if command -v -- "$1" >/dev/null 2>&1; then printf \'%s\' "$1"',
    '  elif [ -e "./$1" ]; then printf \'./%s\' "$1"',
    '  else printf \'%s\' "$1"; fi',
    '}',
    '',
    '# An image reference as the relocation mapping gives it, when the run has one.',
    'lading_relocated() {',
    '  if [ -f "$LADING_RELOCATION_MAPPING" ]; then',
    `    lading_moved=$(sed -n 's|.*"'"$1"'"[[:space:]]*:[[:space:]]*"\\([^"]*\\)".*|\\1|p' "$LADING_RELOCATION_MAPPING" | head -n 1)`,
    '    if [ -n "$lading_moved" ]; then printf \'%s\' "$lading_moved"; return 0; fi',
    '  fi',
    '  printf \'%s\' "$1"',
    '}',
    '',
    'lading_capture_file() {',
    '  if [ -f "$2" ]; then cp "$2" "$LADING_OUTPUTS_DIR/$1"; return $?; fi',
    `  printf 'lading: output %s: the step did not write %s\\n' "$1" "$2" >&2`,
    '  return 1',
    '}',
    '',
    '# A value the runner must mask from here on: a sensitive output, announced before it is shown.',
    'lading_mask_file() {',
    '  [ -f "$1" ] || return 0',
    `  printf '%s mask ' "$lading_nonce"`,
    '  base64 -w 0 < "$1"',
    "  printf '\\n'",
    '}',
    '',
    '# Each match of a sensitive regex output, and all of them together as the output holds them.',
    'lading_mask_regex() {',
    '  grep -oE -- "$1" "$2" > "$lading_tmp/mask" || return 0',
    '  lading_mask_file "$lading_tmp/mask"',
    '  while IFS= read -r lading_match; do',
    `    printf '%s' "$lading_match" > "$lading_tmp/mask-line"`,
    '    lading_mask_file "$lading_tmp/mask-line"',
    '  done < "$lading_tmp/mask"',
    '  rm -f "$lading_tmp/mask" "$lading_tmp/mask-line"',
    "  lading_match=''",
    '}',
    '',
    '# Each step runs in a span of the run\'s trace: TRACEPARENT names the step\'s span, whose id this',
    '# script picks, and the runner records the span from the step frames.',
    "lading_step_open=''",
    'lading_step_begin() {',
    '  lading_step_end 0',
    '  [ -n "$lading_trace" ] || return 0',
    "  lading_span=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \\n')",
    '  lading_step_open=$1',
    `  printf '%s step %s start %s\\n' "$lading_nonce" "$1" "$lading_span"`,
    '  lading_trace_id=${lading_trace#00-}',
    '  export TRACEPARENT="00-${lading_trace_id%%-*}-$lading_span-${lading_trace##*-}"',
    '  [ -z "$lading_tracestate" ] || export TRACESTATE="$lading_tracestate"',
    '}',
    '',
    'lading_step_end() {',
    '  [ -n "$lading_step_open" ] || return 0',
    `  printf '%s step %s end %s\\n' "$lading_nonce" "$lading_step_open" "$1"`,
    "  lading_step_open=''",
    '}',
    '',
    '# A captured value and each of its lines.',
    'lading_mask_lines() {',
    '  [ -s "$1" ] || return 0',
    '  lading_mask_file "$1"',
    '  while IFS= read -r lading_match; do',
    `    printf '%s' "$lading_match" > "$lading_tmp/mask-line"`,
    '    lading_mask_file "$lading_tmp/mask-line"',
    '  done < "$1"',
    '  rm -f "$lading_tmp/mask-line"',
    "  lading_match=''",
    '}',
    '',
    'lading_mask_outputs() {',
    '  for lading_output in $1; do lading_mask_file "$LADING_OUTPUTS_DIR/$lading_output"; done',
    '}',
    '',
    ...stateFunctionLines(manifest),
    '# Input: "env NAME B64", "file PATH B64", "trace - TRACEPARENT", "tracestate - B64", "nonce - HEX",',
    '# "action - B64", then "end".',
    "lading_nonce=''",
    "lading_trace=''",
    "lading_tracestate=''",
    "lading_action=''",
    "lading_ended=''",
    'while IFS= read -r lading_line || [ -n "$lading_line" ]; do',
    '  if [ "$lading_line" = end ]; then lading_ended=1; break; fi',
    "  case $lading_line in",
    "    *' '*' '*) ;;",
    '    *) lading_usage_error "an input line does not have three fields" ;;',
    '  esac',
    '  lading_kind=${lading_line%% *}',
    '  lading_rest=${lading_line#* }',
    '  lading_target=${lading_rest%% *}',
    '  lading_data=${lading_rest#* }',
    '  case $lading_kind in',
    '    env)',
    '      case $lading_target in',
    ...caseLine(envNames, ':'),
    '        *) lading_usage_error "an env line names a variable this bundle does not declare" ;;',
    '      esac',
    '      lading_check_base64 "$lading_data" env',
    '      # The trailing x keeps trailing newlines, which command substitution would drop.',
    '      lading_value=$(printf \'%s\' "$lading_data" | base64 -d && printf x) || lading_usage_error "an env line does not hold base64"',
    '      export "$lading_target=${lading_value%x}"',
    "      lading_value=''",
    '      ;;',
    '    file)',
    '      case $lading_target in',
    ...caseLine(fileTargets, ':'),
    '        *) lading_usage_error "a file line names a path this bundle does not declare" ;;',
    '      esac',
    '      lading_check_base64 "$lading_data" file',
    '      printf \'%s\' "$lading_data" | base64 -d > "$lading_target" || lading_usage_error "a file line could not be written"',
    '      ;;',
    '    nonce)',
    '      case $lading_data in',
    `        ''|*[!0-9a-f]*) lading_usage_error "${nonceRule}" ;;`,
    '      esac',
    `      [ \${#lading_data} -ge ${nonceDigits.min} ] && [ \${#lading_data} -le ${nonceDigits.max} ] || lading_usage_error "${nonceRule}"`,
    '      lading_nonce=$lading_data',
    '      ;;',
    '    trace)',
    '      case $lading_data in',
    "        *[!0-9a-f-]*) lading_usage_error \"the trace line is not a W3C traceparent\" ;;",
    '        00-????????????????????????????????-????????????????-??) lading_trace=$lading_data ;;',
    '        *) lading_usage_error "the trace line is not a W3C traceparent" ;;',
    '      esac',
    '      ;;',
    '    tracestate)',
    '      lading_check_base64 "$lading_data" tracestate',
    '      lading_tracestate=$(printf \'%s\' "$lading_data" | base64 -d) || lading_usage_error "the tracestate line does not hold base64"',
    '      ;;',
    '    action)',
    '      lading_check_base64 "$lading_data" action',
    '      lading_action=$(printf \'%s\' "$lading_data" | base64 -d) || lading_usage_error "the action line does not hold base64"',
    '      ;;',
    '    *) lading_usage_error "unknown input line kind; expected env, file, trace, tracestate, nonce, action or end" ;;',
    '  esac',
    'done',
    "lading_line=''",
    "lading_data=''",
    '[ -n "$lading_ended" ] || lading_usage_error "standard input ended before the end line"',
    '[ -n "$lading_nonce" ] || lading_usage_error "no nonce line was given"',
    '[ -n "$lading_action" ] || lading_usage_error "no action line was given"',
    '',
    `# Where ${APP_DIR} is writable (a tmpfs under Lading's runner; the root file system stays`,
    '# read-only), the bundle\'s files are copied there so that its scripts can write beside them.',
    `if [ -d ${IMAGE_APP_DIR} ] && [ -w ${APP_DIR} ]; then`,
    `  cp -RP ${IMAGE_APP_DIR}/. ${APP_DIR}/ || lading_usage_error "cannot copy the bundle's files into ${APP_DIR}"`,
    'fi',
    '',
    ...(keepsState ? ['lading_state_restore', ''] : []),
    '# Defaults of non-sensitive parameters that were not sent.',
    ...defaultLines(manifest),
    '',
    ...imageLines(manifest, options),
    '',
    ...(needsTmp
      ? [
          '# Step output captured for regex outputs; removed however the script ends.',
          'lading_tmp=$(mktemp -d /tmp/lading.XXXXXX) || lading_usage_error "cannot create a temporary directory under /tmp"',
          'trap \'rm -rf "$lading_tmp"\' EXIT',
          '',
        ]
      : []),
    ...functions,
    'lading_status=0',
    "lading_outputs=''",
    'case $lading_action in',
    ...dispatch,
    `  *) lading_usage_error "unknown action \\"$lading_action\\"; this bundle has ${actionNames.join(', ')}" ;;`,
    'esac',
    '',
    '# Each output that exists, framed with the nonce so that nothing else in the logs can pose as one.',
    "lading_newline=''",
    'for lading_output in $lading_outputs; do',
    '  [ -f "$LADING_OUTPUTS_DIR/$lading_output" ] || continue',
    "  # Start on a fresh line even if the last step's output did not end with one.",
    "  [ -n \"$lading_newline\" ] || { printf '\\n'; lading_newline=1; }",
    `  printf '%s output %s ' "$lading_nonce" "$lading_output"`,
    '  base64 -w 0 < "$LADING_OUTPUTS_DIR/$lading_output"',
    "  printf '\\n'",
    'done',
    'exit "$lading_status"',
    '',
  ].join('\n');
}
