import { CodedError } from '@lading/contracts/errors';

/**
 * Porter's JSONPath (the exec mixin evaluates it with github.com/PaesslerAG/jsonpath), read at
 * build time into the program the run script's JSON reader (json-reader-awk.ts) evaluates when
 * the step runs. The program is one selector a line:
 *
 *   first line  `one` (a plain path: one value, an error when a key is missing),
 *               `all` (a path with *, .., a union or a slice: a JSON list of every match), or
 *               `field` (a template's object field: empty when missing or null)
 *   `K<TAB>key` a key (an integer key indexes a list), `I<TAB>n` an index (negative from the
 *   end; past the end is null), `*` every child, `D` the value and all its descendants,
 *   `U<TAB>kKEY<TAB>iN…` a union of keys and indexes, `R<TAB>start<TAB>end<TAB>step` a slice.
 */

export type JsonPathMode = 'one' | 'all' | 'field';

/** The largest end a slice without one gets, as in PaesslerAG's reader. */
const sliceEndDefault = 2147483647;

const identifier = /^[A-Za-z_][A-Za-z0-9_]*/;
const integer = /^-?[0-9]+/;

/** What is wrong with a jsonPath, completed into a manifest problem by the caller. */
class JsonPathProblem extends CodedError {
  constructor(message: string) {
    super('invalid_request', message);
  }
}

const unsupported = 'filters and scripts ([?(…)], (…)) are not supported; select by .name, [\'name\'], [index], *, .., [a,b] or [start:end:step]';

/** A key as a program field: tabs and newlines separate fields and lines, so a key may hold neither. */
function keyField(key: string): string {
  if (/[\t\n\r\0]/.test(key)) throw new JsonPathProblem('has a key holding a tab, newline or NUL, which Lading cannot select');
  return key;
}

class Reader {
  position = 0;
  constructor(readonly text: string) {}

  get rest(): string {
    return this.text.slice(this.position);
  }

  skipSpace(): void {
    while (this.text[this.position] === ' ') this.position += 1;
  }

  take(prefix: string): boolean {
    if (!this.text.startsWith(prefix, this.position)) return false;
    this.position += prefix.length;
    return true;
  }

  at(): string {
    return this.position < this.text.length ? `"${this.text[this.position]}" at character ${this.position + 1}` : 'its end';
  }
}

function quoted(reader: Reader): string | undefined {
  const quote = reader.text[reader.position];
  if (quote !== "'" && quote !== '"') return undefined;
  let value = '';
  for (let i = reader.position + 1; i < reader.text.length; i += 1) {
    const char = reader.text[i];
    if (char === quote) {
      reader.position = i + 1;
      return value;
    }
    if (char === '\\') {
      const escaped = reader.text[i + 1];
      const known: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', '/': '/' };
      if (escaped === undefined || known[escaped] === undefined) throw new JsonPathProblem(`has an escape Lading does not read at character ${i + 1}`);
      value += known[escaped];
      i += 1;
    } else {
      value += char;
    }
  }
  throw new JsonPathProblem(`has a string that is never closed with ${quote}`);
}

type BracketItem = { kind: 'key'; value: string } | { kind: 'index'; value: number } | { kind: 'empty' };

function bracketItem(reader: Reader): BracketItem {
  reader.skipSpace();
  const text = quoted(reader);
  if (text !== undefined) return { kind: 'key', value: keyField(text) };
  const number = integer.exec(reader.rest);
  if (number !== null) {
    reader.position += number[0].length;
    return { kind: 'index', value: Number(number[0]) };
  }
  return { kind: 'empty' };
}

/** The selector lines of one `[…]`, and whether it selects several values. */
function bracket(reader: Reader, afterDescent: boolean): { lines: string[]; several: boolean } {
  reader.skipSpace();
  if (reader.take('*')) {
    reader.skipSpace();
    if (!reader.take(']')) throw new JsonPathProblem(`expects ] after [* but has ${reader.at()}`);
    return { lines: ['*'], several: true };
  }
  if (reader.rest.startsWith('?') || reader.rest.startsWith('(')) throw new JsonPathProblem(unsupported);
  const items: BracketItem[] = [];
  let separator: string | undefined;
  for (;;) {
    items.push(bracketItem(reader));
    reader.skipSpace();
    const next = reader.text[reader.position];
    if (next === ']') {
      reader.position += 1;
      break;
    }
    if (next !== ',' && next !== ':') throw new JsonPathProblem(`expects a name in quotes, an integer, "," ":" or "]" but has ${reader.at()}`);
    if (separator !== undefined && separator !== next) throw new JsonPathProblem('mixes "," and ":" in one [ ]');
    separator = next;
    reader.position += 1;
  }
  if (separator === ':') {
    if (afterDescent) throw new JsonPathProblem('combines .. with a slice, which Porter refuses');
    if (items.length > 3 || items.some((item) => item.kind === 'key')) throw new JsonPathProblem('has a slice other than [start:end:step] with integers');
    const [start, end, step] = [0, 1, 2].map((i) => items[i]);
    const number = (item: BracketItem | undefined, fallback: number) => (item?.kind === 'index' ? item.value : fallback);
    const stepValue = number(step, 1);
    return { lines: [`R\t${number(start, 0)}\t${number(end, sliceEndDefault)}\t${stepValue === 0 ? 1 : stepValue}`], several: true };
  }
  if (items.some((item) => item.kind === 'empty')) throw new JsonPathProblem('has an empty entry in [ ]');
  const field = (item: BracketItem) => (item.kind === 'key' ? `k${item.value}` : `i${(item as { value: number }).value}`);
  if (items.length > 1) return { lines: [`U\t${items.map(field).join('\t')}`], several: true };
  const [item] = items;
  return { lines: [item.kind === 'key' ? `K\t${item.value}` : `I\t${(item as { value: number }).value}`], several: afterDescent };
}

/** What follows `.` or `..`: a name, `*`, or (after `..`) a bracket. */
function member(reader: Reader, afterDescent: boolean): { lines: string[]; several: boolean } {
  if (reader.take('*')) return { lines: ['*'], several: true };
  const name = identifier.exec(reader.rest);
  if (name !== null) {
    reader.position += name[0].length;
    return { lines: [`K\t${name[0]}`], several: false };
  }
  if (afterDescent && reader.take('[')) return bracket(reader, true);
  throw new JsonPathProblem(`expects a name or * after "." but has ${reader.at()}; write ['a-name'] for a name with other characters`);
}

/** The run script's program for a JSONPath, or the sentence saying why Lading cannot read it. */
export function compileJsonPath(text: string): { program: string } | { problem: string } {
  try {
    const reader = new Reader(text.trim());
    if (!reader.take('$')) throw new JsonPathProblem('must start with $, the step\'s whole output');
    const lines: string[] = [];
    let several = false;
    while (reader.position < reader.text.length) {
      if (reader.take('..')) {
        lines.push('D');
        lines.push(...member(reader, true).lines);
        several = true;
      } else if (reader.take('.')) {
        const selected = member(reader, false);
        lines.push(...selected.lines);
        several ||= selected.several;
      } else if (reader.take('[')) {
        const selected = bracket(reader, false);
        lines.push(...selected.lines);
        several ||= selected.several;
      } else if (reader.rest.startsWith('(')) {
        throw new JsonPathProblem(unsupported);
      } else {
        throw new JsonPathProblem(`expects ".", ".." or "[" but has ${reader.at()}`);
      }
    }
    const mode: JsonPathMode = several ? 'all' : 'one';
    return { program: [mode, ...lines].join('\n') };
  } catch (error) {
    if (error instanceof JsonPathProblem) return { problem: error.message };
    throw error;
  }
}

/** The program that reads one field of an object value, for `bundle.parameters.NAME.FIELD` templates. */
export function fieldProgram(field: string[]): string {
  return ['field', ...field.map((key) => `K\t${keyField(key)}`)].join('\n');
}
