import type { TemplatePart } from './types.js';

/** A reference as read, before the steps' reader wires it: an output of a required bundle becomes the parameter that carries it. */
export type ParsedPart = TemplatePart | { kind: 'dependency-output'; dependency: string; name: string };

/** How a manifest writes a template: `{{ … }}` (lading.yaml, porter.yaml 1.0.0-alpha.1) or `${ … }` (porter.yaml since). */
export type TemplateDelimiters = 'braces' | 'dollar';

// Mustache's unescaped forms (`{{{ x }}}`, `${{ x }}`, `{{& x }}`) mean the same: Porter escapes nothing.
const patterns: Record<TemplateDelimiters, { whole: RegExp; open: string; close: string }> = {
  braces: { whole: /\{\{\{(.*?)\}\}\}|\{\{(.*?)\}\}/gs, open: '{{', close: '}}' },
  dollar: { whole: /\$\{\{(.*?)\}\}|\$\{(.*?)\}/gs, open: '${', close: '}' },
};

// A value name (dots allowed); after `bundle.parameters.` it may go on into an object's fields,
// which the steps' reader tells apart once it knows the declared names.
const name = '[A-Za-z0-9_.-]+';
const imageName = '[A-Za-z0-9_.-]+?';
const alias = '[A-Za-z0-9_-]+';
const references: { pattern: RegExp; part: (m: RegExpExecArray, constants: BundleConstants) => ParsedPart | string }[] = [
  { pattern: new RegExp(`^bundle\\.parameters\\.(${name})$`), part: (m) => ({ kind: 'parameter', name: m[1] }) },
  { pattern: new RegExp(`^bundle\\.credentials\\.(${name})$`), part: (m) => ({ kind: 'credential', name: m[1] }) },
  { pattern: new RegExp(`^bundle\\.outputs\\.(${name})$`), part: (m) => ({ kind: 'output', name: m[1] }) },
  {
    pattern: new RegExp(`^bundle\\.images\\.(${imageName})\\.(repository|digest|tag|description)$`),
    part: (m) => ({ kind: 'image', name: m[1], field: m[2] as 'repository' | 'digest' | 'tag' | 'description' }),
  },
  { pattern: /^installation\.name$/, part: () => ({ kind: 'installation-name' }) },
  { pattern: new RegExp(`^bundle\\.dependencies\\.(${alias})\\.outputs\\.(${name})$`), part: (m) => ({ kind: 'dependency-output', dependency: m[1], name: m[2] }) },
  {
    pattern: new RegExp(`^bundle\\.dependencies\\.(${alias})\\.(name|version|description)$`),
    part: (m) => ({ kind: 'dependency', dependency: m[1], field: m[2] as 'name' | 'version' | 'description' }),
  },
  { pattern: /^bundle\.(name|version|description)$/, part: (m, c) => ({ kind: 'text', text: c[m[1] as keyof BundleConstants] ?? '' }) },
];

/** Values fixed when the bundle is built, the same in every run. */
export interface BundleConstants {
  name: string;
  version: string;
  description?: string;
}

const known =
  'bundle.parameters.NAME (or NAME.FIELD of an object), bundle.credentials.NAME, bundle.outputs.NAME, bundle.images.NAME.repository (or .digest, .tag, .description), bundle.name, bundle.version, bundle.description, bundle.dependencies.ALIAS.outputs.NAME (or .name, .version, .description) or installation.name';

/**
 * Splits `echo ${ bundle.parameters.greeting }` into text and references. Returns a problem
 * sentence instead when a template is not a reference Lading knows: an unknown template is an
 * error, never passed on as literal text.
 */
export function parseTemplate(text: string, delimiters: TemplateDelimiters, constants: BundleConstants): ParsedPart[] | string {
  const { whole, open, close } = patterns[delimiters];
  const parts: ParsedPart[] = [];
  let last = 0;
  for (const match of text.matchAll(whole)) {
    const expression = (match[1] ?? match[2]).trim().replace(/^&\s*/, '');
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
function mergeText(parts: ParsedPart[]): ParsedPart[] {
  const merged: ParsedPart[] = [];
  for (const part of parts) {
    const previous = merged.at(-1);
    if (part.kind === 'text' && previous?.kind === 'text') merged[merged.length - 1] = { kind: 'text', text: previous.text + part.text };
    else merged.push(part);
  }
  return merged;
}
