import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type YAMLMap } from 'yaml';
import { ManifestError } from './errors.js';

export type Positioned = { range?: [number, number, number] | null } | null | undefined;

export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** A value in the document with the path that names it and a place to point at when it is wrong. */
export interface Located {
  node: Node | null;
  path: string;
  /** The node to point at: the value, or its key when the value is empty. */
  at: Positioned;
}

/** Reads a parsed YAML document, turning every problem into a ManifestError at the right line. */
export class YamlReader {
  private readonly found: ManifestError[] = [];

  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
    private readonly doc: Document,
  ) {}

  fail(at: Positioned, path: string, problem: string): never {
    const offset = at?.range?.[0] ?? 0;
    const { line, col } = this.lines.linePos(offset);
    throw new ManifestError(this.file, line, col, path, problem);
  }

  failAtOffset(offset: number, problem: string): never {
    const { line, col } = this.lines.linePos(offset);
    throw new ManifestError(this.file, line, col, '', problem);
  }

  /**
   * Reads one piece that does not depend on the others (a field, a credential, a step): a problem
   * in it is kept and the reading goes on, so every problem of the file is reported at once.
   */
  attempt<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      this.found.push(error);
      return undefined;
    }
  }

  /** Throws every problem kept so far as one error. */
  report(): void {
    if (this.found.length > 0) throw ManifestError.combine(this.found);
  }

  resolve(node: unknown): Node | null {
    if (isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? null;
    return (node as Node | null | undefined) ?? null;
  }

  root(): Located {
    const node = this.resolve(this.doc.contents);
    return { node, path: '', at: node };
  }

  map(value: Located, what = 'a mapping of fields'): MapView {
    if (!isMap(value.node)) this.fail(value.at, value.path, `must be ${what}`);
    return new MapView(this, value.node, value.path);
  }

  /** An optional list: an absent or empty value gives no items. */
  list(value: Located | undefined): Located[] {
    if (value === undefined || value.node === null) return [];
    if (isScalar(value.node) && value.node.value === null) return [];
    if (!isSeq(value.node)) this.fail(value.at, value.path, 'must be a list');
    return value.node.items.map((item, index) => {
      const node = this.resolve(item);
      return { node, path: childPath(value.path, index), at: node ?? value.at };
    });
  }

  scalar(value: Located): unknown {
    if (value.node === null) return null;
    if (!isScalar(value.node)) this.fail(value.at, value.path, 'must be a single value, not a list or mapping');
    return value.node.value;
  }

  string(value: Located, hint = ''): string {
    const raw = this.scalar(value);
    if (raw === null || raw === undefined) this.fail(value.at, value.path, 'must not be empty');
    if (typeof raw !== 'string') {
      this.fail(value.at, value.path, `must be a string${hint === '' ? '; put it in quotes' : hint}`);
    }
    return raw;
  }

  /** Any value as plain JSON data: a mapping, list or scalar (for defaults and JSON-Schema keywords). */
  json(value: Located): unknown {
    if (value.node === null) return null;
    return value.node.toJSON(this.doc);
  }

  boolean(value: Located): boolean {
    const raw = this.scalar(value);
    if (typeof raw !== 'boolean') this.fail(value.at, value.path, 'must be true or false');
    return raw;
  }

  stringList(value: Located | undefined): string[] {
    return this.list(value).map((item) => this.string(item));
  }
}

export class MapView {
  constructor(
    private readonly reader: YamlReader,
    readonly node: YAMLMap,
    readonly path: string,
  ) {}

  keys(): { key: string; at: Positioned }[] {
    return this.node.items.map((pair) => {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? keyNode.value : undefined;
      if (typeof key !== 'string') this.reader.fail(keyNode, this.path, 'has a key that is not a plain name');
      return { key, at: keyNode };
    });
  }

  get(key: string): Located | undefined {
    const pair = this.node.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (pair === undefined) return undefined;
    const node = this.reader.resolve(pair.value);
    const empty = node === null || (isScalar(node) && node.value === null);
    return { node: empty ? null : node, path: childPath(this.path, key), at: empty ? (pair.key as Node) : node };
  }

  require(key: string): Located {
    const value = this.get(key);
    if (value === undefined || value.node === null) {
      this.reader.fail(value?.at ?? this.node, childPath(this.path, key), 'is required');
    }
    return value;
  }

  /** Refuses keys outside `known`, naming the first one and listing what is allowed. */
  refuseUnknown(known: readonly string[]): void {
    for (const { key, at } of this.keys()) {
      if (!known.includes(key)) {
        const where = this.path === '' ? 'the top level' : this.path;
        this.reader.fail(at, childPath(this.path, key), `is not a known field of ${where}; use one of ${known.join(', ')}`);
      }
    }
  }

  optionalString(key: string): string | undefined {
    const value = this.get(key);
    return value === undefined || value.node === null ? undefined : this.reader.string(value);
  }

  optionalBoolean(key: string, fallback: boolean): boolean {
    const value = this.get(key);
    return value === undefined || value.node === null ? fallback : this.reader.boolean(value);
  }
}
