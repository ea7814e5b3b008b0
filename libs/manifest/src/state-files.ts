/**
 * porter.yaml `state` files. After each action that modifies the installation (also a failing
 * one, as Porter does) the run script packs them into the output porter-state, which the runner
 * keeps in the secret store; before the next action the broker hands that value back as the
 * parameter porter-state and the run script writes each file to its path again. Each name maps to
 * one path fixed at build, so a kept value can put a file nowhere else, and a state file that is
 * a symbolic link (or is reached through one) is never read.
 */
import { valueLimits } from '@lading/cnab';
import { APP_DIR, SECRETS_DIR, STATE_DIR, STATE_VALUE_NAME } from './constants.js';
import { shellQuote } from './shell.js';
import type { Manifest, ManifestState } from './types.js';

const isUnder = (path: string, dir: string): boolean => path.startsWith(`${dir}/`);

/** Where a state file really is: its own path where the container may write (/cnab/app, /tmp), else a file in STATE_DIR its path links to. */
export function stateLocation(state: ManifestState): string {
  return isUnder(state.path, APP_DIR) || isUnder(state.path, '/tmp') ? state.path : `${STATE_DIR}/${state.name}`;
}

/** The state files whose path is on the read-only root: the image links each into STATE_DIR. */
export const linkedStateFiles = (manifest: Manifest): ManifestState[] => (manifest.state ?? []).filter((state) => stateLocation(state) !== state.path);

/** The actions whose state is kept: Porter keeps none for a custom action that says `modifies: false`. */
export function stateActions(manifest: Manifest): string[] {
  return Object.keys(manifest.actions).filter((action) => manifest.customActions[action]?.modifies !== false);
}

/** Where the broker delivers the kept state to the run script. */
export const STATE_INPUT_PATH = `${SECRETS_DIR}/${STATE_VALUE_NAME}`;

/** One line per state file, `NAME BASE64`, must fit in one value of the secret store. */
export const maxStateBytes = valueLimits.valueBytes;

/** Run script functions that put the kept files back and pack them again; none when the manifest keeps no state. */
export function stateFunctionLines(manifest: Manifest): string[] {
  const states = manifest.state ?? [];
  if (states.length === 0) return [];
  const restoreCases = states.map((state) => `      ${shellQuote(state.name)}) lading_state_file=${shellQuote(stateLocation(state))} ;;`);
  // A file that cannot be kept fails the run and keeps none of this run's state: the last kept state stays.
  const saveLines = states.map((state) => `  lading_state_pack ${shellQuote(state.name)} ${shellQuote(stateLocation(state))} || { rm -f "$LADING_OUTPUTS_DIR/${STATE_VALUE_NAME}"; return 1; }`);
  return [
    '# A state file is read or written only at its own path, never through a symbolic link.',
    'lading_state_direct() {',
    '  lading_state_parent=$(cd "${1%/*}" 2>/dev/null && pwd -P) || return 1',
    '  [ "$lading_state_parent" = "${1%/*}" ] && [ ! -L "$1" ]',
    '}',
    '',
    `# State files the installation kept, each put back at the path this bundle declares for its name.`,
    'lading_state_restore() {',
    `  mkdir -p ${STATE_DIR} 2>/dev/null || true`,
    `  [ -s "$LADING_SECRETS_DIR/${STATE_VALUE_NAME}" ] || return 0`,
    '  while IFS=\' \' read -r lading_state_name lading_state_data; do',
    '    case $lading_state_name in',
    ...restoreCases,
    '      *) continue ;;',
    '    esac',
    '    lading_check_base64 "$lading_state_data" state',
    '    mkdir -p "${lading_state_file%/*}" || lading_usage_error "cannot create the directory of state file $lading_state_name"',
    '    lading_state_direct "$lading_state_file" || lading_usage_error "state file $lading_state_name is reached through a symbolic link; it is not restored"',
    '    rm -f "$lading_state_file"',
    '    printf \'%s\' "$lading_state_data" | base64 -d > "$lading_state_file" || lading_usage_error "state file $lading_state_name could not be restored"',
    `  done < "$LADING_SECRETS_DIR/${STATE_VALUE_NAME}"`,
    "  lading_state_data=''",
    '}',
    '',
    'lading_state_pack() {',
    '  [ -e "$2" ] || [ -L "$2" ] || return 0',
    '  if ! lading_state_direct "$2" || [ ! -f "$2" ]; then',
    `    printf 'lading: state file %s is not a regular file at its path (a symbolic link, or reached through one); it is not kept\\n' "$1" >&2`,
    '    return 1',
    '  fi',
    `  { printf '%s ' "$1"; base64 -w 0 < "$2"; printf '\\n'; } >> "$LADING_OUTPUTS_DIR/${STATE_VALUE_NAME}"`,
    '}',
    '',
    '# The state files as one value, kept even when the action failed; too large a value fails the run.',
    'lading_state_save() {',
    `  : > "$LADING_OUTPUTS_DIR/${STATE_VALUE_NAME}" || return 1`,
    ...saveLines,
    `  lading_state_size=$(($(wc -c < "$LADING_OUTPUTS_DIR/${STATE_VALUE_NAME}")))`,
    `  if [ "$lading_state_size" -gt ${maxStateBytes} ]; then`,
    `    rm -f "$LADING_OUTPUTS_DIR/${STATE_VALUE_NAME}"`,
    `    printf 'lading: the state files take %s bytes once encoded, and at most ${maxStateBytes} are kept; keep less in them\\n' "$lading_state_size" >&2`,
    '    return 1',
    '  fi',
    '}',
    '',
  ];
}
