import type { TemplatedString } from './types.js';

/** A character of a templated string, or a reference that stands as one opaque character. */
type Unit = { char: string } | { part: TemplatedString[number] };

const whitespace = new Set([' ', '\t', '\n']);

function unitsOf(parts: TemplatedString): Unit[] {
  return parts.flatMap((part): Unit[] => (part.kind === 'text' ? [...part.text].map((char) => ({ char })) : [{ part }]));
}

function partsOf(units: Unit[]): TemplatedString {
  const parts: TemplatedString = [];
  for (const unit of units) {
    const previous = parts.at(-1);
    if ('part' in unit) parts.push(unit.part);
    else if (previous?.kind === 'text') parts[parts.length - 1] = { kind: 'text', text: previous.text + unit.char };
    else parts.push({ kind: 'text', text: unit.char });
  }
  return parts.length === 0 ? [{ kind: 'text', text: '' }] : parts;
}

const charOf = (unit: Unit | undefined): string | undefined => (unit !== undefined && 'char' in unit ? unit.char : undefined);

/**
 * The next word and what follows it, as Porter's exec mixin reads one: leading whitespace
 * skipped; a backslash keeps the next character from ending the word (and stays in it); a
 * quote starts a word that ends at the same quote, the quotes dropped; a word without quotes
 * ends at whitespace. An unmatched quote gives undefined.
 */
function nextWord(input: Unit[]): { word: Unit[]; rest: Unit[] } | undefined {
  let start = 0;
  while (whitespace.has(charOf(input[start]) ?? '')) start += 1;
  const text = input.slice(start);
  let escaped = false;
  let wordStart = 0;
  let closing: string | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const char = escaped ? undefined : charOf(text[i]);
    escaped = false;
    if (char === '\\') {
      escaped = true;
      continue;
    }
    let stop: number | undefined;
    if (char !== undefined && char === closing) {
      stop = i;
      closing = undefined;
    } else if (char === "'" || char === '"') {
      if (closing !== undefined) continue;
      wordStart = 1;
      closing = char;
    } else if (char !== undefined && whitespace.has(char)) {
      if (closing !== undefined) continue;
      wordStart = 0;
      stop = i;
    }
    if (stop !== undefined && stop > 0) return { word: text.slice(wordStart, stop), rest: text.slice(stop + 1) };
  }
  if (closing !== undefined) return undefined;
  return { word: text, rest: [] };
}

/**
 * Porter's exec mixin splits every argument and flag value into words at whitespace unless
 * quoted. Lading does the same to the text of the manifest when the bundle is built; a template
 * reference is one opaque piece, so a value with spaces stays one argument (Porter would split
 * the value too, after rendering it).
 */
export function porterWords(parts: TemplatedString): TemplatedString[] {
  const whole = unitsOf(parts);
  const words: TemplatedString[] = [];
  let rest = whole;
  while (rest.length > 0) {
    const found = nextWord(rest);
    if (found === undefined) return [parts];
    rest = found.rest;
    words.push(partsOf(found.word));
  }
  return words;
}
