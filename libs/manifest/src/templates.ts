import type { TemplatedString } from './types.js';

const templatePattern = /\{\{(.*?)\}\}/gs;
const referencePattern = /^\s*bundle\.(parameters|credentials)\.([A-Za-z0-9_-]+)\s*$/;

/**
 * Splits `echo {{ bundle.parameters.greeting }}` into text and references. Returns a problem
 * sentence instead when a `{{ … }}` is not a reference Lading knows.
 */
export function parseTemplate(text: string): TemplatedString | string {
  const parts: TemplatedString = [];
  let last = 0;
  for (const match of text.matchAll(templatePattern)) {
    const reference = referencePattern.exec(match[1]);
    if (reference === null) {
      return `has an unknown template "${match[0]}"; use {{ bundle.parameters.NAME }} or {{ bundle.credentials.NAME }}`;
    }
    if (match.index > last) parts.push({ kind: 'text', text: text.slice(last, match.index) });
    parts.push({ kind: reference[1] === 'parameters' ? 'parameter' : 'credential', name: reference[2] });
    last = match.index + match[0].length;
  }
  if (text.slice(last).includes('{{')) return 'has an unclosed "{{"; close it with "}}"';
  if (last < text.length || parts.length === 0) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}
