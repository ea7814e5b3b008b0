import { CUSTOM_EXTENSION_KEY, SECRETS_DIR } from './constants.js';
import { valueNamePattern } from './rules.js';

/** What the runner hands the run script on standard input. */
export interface RunInput {
  /** Environment variable → value, exported inside the run script's process only. */
  env?: Record<string, string | Uint8Array>;
  /** Credential or parameter name → content, written to `<secretsDir>/<name>` with mode 0600. */
  files?: Record<string, string | Uint8Array>;
  /** Lower-case hex, fresh per run: only lines starting with it are outputs. */
  nonce: string;
  action: string;
  /** W3C traceparent of the run's container span: each step then runs under a span of its own. */
  traceparent?: string;
  tracestate?: string;
  /** Where the secrets tmpfs is mounted; SECRETS_DIR unless testing outside a container. */
  secretsDir?: string;
}

/** Whether a bundle's run script takes the run's trace context (bundles built before it refuse the line). */
export function takesTraceContext(bundle: { custom?: Record<string, unknown> }): boolean {
  const extension = bundle.custom?.[CUSTOM_EXTENSION_KEY];
  return typeof extension === 'object' && extension !== null && (extension as { traceContext?: unknown }).traceContext === true;
}

const b64 = (value: string | Uint8Array): string => Buffer.from(value).toString('base64');

/** The standard input the run script expects: value lines, nonce, action, then `end`. */
export function encodeRunInput(input: RunInput): string {
  if (!/^[0-9a-f]+$/.test(input.nonce)) throw new Error('The output nonce must be lower-case hexadecimal; make it with randomBytes(16).toString("hex").');
  const secretsDir = input.secretsDir ?? SECRETS_DIR;
  const lines = [
    ...Object.entries(input.env ?? {}).map(([name, value]) => `env ${name} ${b64(value)}`),
    ...Object.entries(input.files ?? {}).map(([name, value]) => `file ${secretsDir}/${name} ${b64(value)}`),
    ...(input.traceparent ? [`trace - ${input.traceparent}`] : []),
    ...(input.tracestate ? [`tracestate - ${b64(input.tracestate)}`] : []),
    `nonce - ${input.nonce}`,
    `action - ${b64(input.action)}`,
    'end',
  ];
  return `${lines.join('\n')}\n`;
}

/** The output carried by one line of the run script's stdout, or undefined for any other line. */
export function parseOutputFrame(line: string, nonce: string): { name: string; value: Buffer } | undefined {
  const prefix = `${nonce} output `;
  if (!line.startsWith(prefix)) return undefined;
  const [name, data = '', ...rest] = line.slice(prefix.length).replace(/\r$/, '').split(' ');
  if (rest.length > 0 || !valueNamePattern.test(name) || !/^[A-Za-z0-9+/=]*$/.test(data)) return undefined;
  return { name, value: Buffer.from(data, 'base64') };
}
