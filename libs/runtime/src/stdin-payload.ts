import { RuntimeError } from './errors.js';
import type { StdinPayloadInput } from './types.js';

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const nonceHex = /^[0-9a-fA-F]{16,128}$/;
const traceparentPattern = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
// Whitespace would break the line protocol; `..` and control characters could redirect a write.
const containerPath = /^\/[A-Za-z0-9._@+,=:/-]+$/;

function invalid(message: string): never {
  throw new RuntimeError('invalid-stdin-payload', message);
}

const b64 = (value: Buffer | string): string => Buffer.from(value).toString('base64');

/**
 * The lines the generated /cnab/app/run script reads from stdin: `env NAME B64`,
 * `file PATH B64`, `trace - TRACEPARENT` and `tracestate - B64` (when the bundle takes them),
 * `nonce - HEX`, `action - B64`, then `end`. Values travel base64-encoded so
 * that no byte of a value can end a line early.
 */
export function encodeStdinPayload(input: StdinPayloadInput): Buffer {
  if (!nonceHex.test(input.nonce)) invalid('The output nonce must be 16 to 128 hex digits: generate it with crypto.randomBytes(16).');
  if (input.action.length === 0) invalid('The action name is empty: name the action to run.');
  const lines: string[] = [];
  for (const [name, value] of Object.entries(input.env ?? {})) {
    if (!envName.test(name)) invalid(`Environment variable name ${JSON.stringify(name)} is not valid: use letters, digits and underscores.`);
    lines.push(`env ${name} ${b64(value)}`);
  }
  for (const [path, content] of Object.entries(input.files ?? {})) {
    if (!containerPath.test(path) || path.split('/').includes('..')) {
      invalid(`Container file path ${JSON.stringify(path)} is not valid: use an absolute path without spaces or ".." segments.`);
    }
    lines.push(`file ${path} ${b64(content)}`);
  }
  if (input.traceparent !== undefined) {
    if (!traceparentPattern.test(input.traceparent)) invalid('The traceparent is not a W3C version-00 traceparent.');
    lines.push(`trace - ${input.traceparent}`);
  }
  if (input.tracestate) lines.push(`tracestate - ${b64(input.tracestate)}`);
  lines.push(`nonce - ${input.nonce}`, `action - ${b64(input.action)}`, 'end');
  return Buffer.from(`${lines.join('\n')}\n`);
}
