import type { TemplatedString } from './types.js';

/** How a manifest writes a template: `{{ … }}` (lading.yaml, porter.yaml 1.0.0-alpha.1) or `${ … }` (porter.yaml since). */
export type TemplateDelimiters = 'braces' | 'dollar';

const patterns: Record<TemplateDelimiters, { whole: RegExp; open: string; close: string }> = {
  braces: { whole: /\{\{(.*?)\}\}/gs, open: '{{', close: '}}' },
  dollar: { whole: /\$\{(.*?)\}/gs, open: '${', close: '}' },
};

const name = '[A-Za-z0-9_-]+';
const references: { pattern: RegExp; part: (m: RegExpExecArray, constants: BundleConstants) => TemplatedString[number] | string }[] = [
  { pattern: new RegExp(`^bundle\\.parameters\\.(${name})$`), part: (m) => ({ kind: 'parameter', name: m[1] }) },
  { pattern: new RegExp(`^bundle\\.credentials\\.(${name})$`), part: (m) => ({ kind: 'credential', name: m[1] }) },
  { pattern: new RegExp(`^bundle\\.outputs\\.(${name})$`), part: (m) => ({ kind: 'output', name: m[1] }) },
  { pattern: new RegExp(`^bundle\\.images\\.(${name})\\.(repository|digest)$`), part: (m) => ({ kind: 'image', name: m[1], field: m[2] as 'repository' | 'digest' }) },
  { pattern: /^installation\.name$/, part: () => ({ kind: 'installation-name' }) },
  { pattern: /^bundle\.(name|version|description)$/, part: (m, c) => ({ kind: 'text', text: c[m[1] as keyof BundleConstants] ?? '' }) },
  {
    pattern: new RegExp(`^bundle\\.parameters\\.(${name})\\.`),
    part: (m) => `reads a field of parameter "${m[1]}", which Lading does not support yet; pass the whole value and read the field in the step`,
  },
];

/** Values fixed when the bundle is built, the same in every run. */
export interface BundleConstants {
  name: string;
  version: string;
  description?: string;
}

const known =
  'bundle.parameters.NAME, bundle.credentials.NAME, bundle.outputs.NAME, bundle.images.NAME.repository, bundle.images.NAME.digest, bundle.name, bundle.version, bundle.description or installation.name';

/**
 * Splits `echo ${ bundle.parameters.greeting }` into text and references. Returns a problem
 * sentence instead when a template is not a reference Lading knows: an unknown template is an
 * error, never passed on as literal text.
 */
export function parseTemplate(text: string, delimiters: TemplateDelimiters, constants: BundleConstants): TemplatedString | string {
  const { whole, open, close } = patterns[delimiters];
  const parts: TemplatedString = [];
  let last = 0;
  for (const match of text.matchAll(whole)) {
    const expression = match[1].trim();
    const reference = references.map(({ pattern, part }) => ({ found: pattern.exec(expression), part })).find(({ found }) => found !== null);
    if (reference === undefined) return `has an unknown template "${match[0]}"; use ${open} ${known} ${close}`;
    const part = reference.part(reference.found as RegExpExecArray, constants);
    if (typeof part === 'string') return part;
    if (match.index > last) parts.push({ kind: 'text', text: text.slice(last, match.index) });
    parts.push(part);
    last = match.index + match[0].length;
  }
  if (text.slice(last).includes(open)) return `has an unclosed "${open}"; close it with "${close}"`;
  if (last < text.length || parts.length === 0) parts.push({ kind: 'text', text: text.slice(last) });
  return mergeText(parts);
}

/** Adjacent text pieces as one, so a constant reads like the text around it. */
function mergeText(parts: TemplatedString): TemplatedString {
  const merged: TemplatedString = [];
  for (const part of parts) {
    const previous = merged.at(-1);
    if (part.kind === 'text' && previous?.kind === 'text') merged[merged.length - 1] = { kind: 'text', text: previous.text + part.text };
    else merged.push(part);
  }
  return merged;
}
