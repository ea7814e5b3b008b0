import { CUSTOM_EXTENSION_KEY } from './constants.js';
import { envNamePattern, pathProblem, valueNamePattern } from './rules.js';
import { CodedError } from '@lading/contracts/errors';

// The one definition of what the runner and the run script say to each other: the stdin lines
// the script reads (`env NAME B64`, `file PATH B64`, `trace - TRACEPARENT`, `tracestate - B64`,
// `nonce - HEX`, `action - B64`, `end`) and the frames it prints on stdout, each starting with the
// run's nonce. The run script is rendered from these rules; the runner encodes and scans with them.

/** The nonce is fresh per run and lower-case hex, 16 to 128 digits: what the run script accepts. */
export const nonceDigits = { min: 16, max: 128 } as const;
const noncePattern = new RegExp(`^[0-9a-f]{${nonceDigits.min},${nonceDigits.max}}$`);
const traceparentPattern = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
// Canonical, padded base64: what `base64` prints, and nothing a value could smuggle a space into.
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const stepIndexPattern = /^[1-9][0-9]{0,5}$/;
const spanIdPattern = /^(?!0{16})[0-9a-f]{16}$/;
const exitStatusPattern = /^[0-9]{1,3}$/;

export function isOutputNonce(nonce: string): boolean {
  return noncePattern.test(nonce);
}

/** What the runner hands the run script on standard input. */
export interface RunInput {
  action: string;
  /** Lower-case hex, fresh per run: only frames starting with it are outputs. */
  nonce: string;
  /** Environment variable → value, exported inside the run script's process only. */
  env?: Record<string, string | Uint8Array>;
  /** Absolute path inside the container → content, written with mode 0600. */
  files?: Record<string, string | Uint8Array>;
  /** W3C traceparent of the run's container span: each step then runs under a span of its own. */
  traceparent?: string;
  tracestate?: string;
}

/** Whether a bundle's run script takes the run's trace context (bundles built before it refuse the line). */
export function takesTraceContext(bundle: { custom?: Record<string, unknown> }): boolean {
  const extension = bundle.custom?.[CUSTOM_EXTENSION_KEY];
  return typeof extension === 'object' && extension !== null && (extension as { traceContext?: unknown }).traceContext === true;
}

/** A run input the run script would refuse; the message is one sentence naming what is wrong. */
export class RunInputError extends CodedError {
  constructor(message: string) {
    super('invalid_request', message);
  }
}

const b64 = (value: string | Uint8Array): string => Buffer.from(value).toString('base64');

/**
 * The standard input the run script expects. Values travel base64-encoded so that no byte of a
 * value can end a line early; anything the script would refuse is refused here first.
 */
export function encodeRunInput(input: RunInput): Buffer {
  const refuse = (message: string): never => {
    throw new RunInputError(message);
  };
  if (!isOutputNonce(input.nonce)) {
    refuse(`The output nonce must be ${nonceDigits.min} to ${nonceDigits.max} lower-case hexadecimal digits: generate it with randomBytes(16).toString('hex').`);
  }
  if (input.action.length === 0) refuse('The action name is empty: name the action to run.');
  const lines: string[] = [];
  for (const [name, value] of Object.entries(input.env ?? {})) {
    if (!envNamePattern.test(name)) refuse(`Environment variable name ${JSON.stringify(name)} is not valid: use letters, digits and underscores.`);
    lines.push(`env ${name} ${b64(value)}`);
  }
  for (const [path, content] of Object.entries(input.files ?? {})) {
    const problem = pathProblem(path);
    if (problem !== undefined) refuse(`Container file path ${JSON.stringify(path)} is not valid: it ${problem}.`);
    lines.push(`file ${path} ${b64(content)}`);
  }
  if (input.traceparent !== undefined) {
    if (!traceparentPattern.test(input.traceparent)) refuse('The traceparent is not a W3C version-00 traceparent.');
    lines.push(`trace - ${input.traceparent}`);
  }
  if (input.tracestate) lines.push(`tracestate - ${b64(input.tracestate)}`);
  lines.push(`nonce - ${input.nonce}`, `action - ${b64(input.action)}`, 'end');
  return Buffer.from(`${lines.join('\n')}\n`);
}

/** One frame of the run script's stdout, after the nonce and its space. */
export type RunFrame =
  | { kind: 'output'; name: string; value: Buffer }
  | { kind: 'mask'; value: Buffer }
  | { kind: 'step'; index: number; phase: 'start'; spanId: string }
  | { kind: 'step'; index: number; phase: 'end'; exitCode: number };

export const frameShapes = '"output <name> <base64>", "mask <base64>" or "step <n> start|end <id|status>"';

/**
 * Reads a frame's body: `output <name> <base64>` (an output's value), `mask <base64>` (a value
 * to mask from here on) or `step <n> start <span id>` / `step <n> end <status>`. Undefined for
 * anything else. Output names follow the manifest's name rule, since only declared outputs are sent.
 */
export function parseFrameBody(body: string): RunFrame | undefined {
  const words = body.replace(/\r$/, '').split(' ');
  const [kind] = words;
  if (kind === 'mask' && words.length === 2 && base64Pattern.test(words[1])) return { kind, value: Buffer.from(words[1], 'base64') };
  if (kind === 'output' && words.length === 3 && valueNamePattern.test(words[1]) && base64Pattern.test(words[2])) {
    return { kind, name: words[1], value: Buffer.from(words[2], 'base64') };
  }
  if (kind === 'step' && words.length === 4 && stepIndexPattern.test(words[1])) {
    const index = Number(words[1]);
    if (words[2] === 'start' && spanIdPattern.test(words[3])) return { kind, index, phase: 'start', spanId: words[3] };
    if (words[2] === 'end' && exitStatusPattern.test(words[3])) return { kind, index, phase: 'end', exitCode: Number(words[3]) };
  }
  return undefined;
}

/** The output carried by one whole line of the run script's stdout, or undefined for any other line. */
export function parseOutputFrame(line: string, nonce: string): { name: string; value: Buffer } | undefined {
  const prefix = `${nonce} `;
  if (!line.startsWith(prefix)) return undefined;
  const frame = parseFrameBody(line.slice(prefix.length));
  return frame?.kind === 'output' ? { name: frame.name, value: frame.value } : undefined;
}
