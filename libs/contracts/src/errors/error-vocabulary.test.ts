import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodedError, errorCodes, errorVocabulary, isCodedError } from './index.js';

const root = join(import.meta.dirname, '../../../..');

function* productionSources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'test' || name === 'testkit') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* productionSources(path);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) yield path;
  }
}

/** Every `class X extends Y` of the product's sources, as X → (Y, where). */
function declaredClasses(): Map<string, { base: string; file: string }> {
  const classes = new Map<string, { base: string; file: string }>();
  for (const area of ['libs', 'apps']) {
    for (const file of productionSources(join(root, area))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bclass\s+(\w+)\s+extends\s+([\w.]+)/g)) {
        classes.set(match[1]!, { base: match[2]!, file: relative(root, file) });
      }
    }
  }
  return classes;
}

const builtInErrors = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError']);

describe('the error vocabulary', () => {
  it('gives every code a meaning and an exit status', () => {
    for (const code of errorCodes) {
      expect(errorVocabulary[code].meaning).toMatch(/^[a-z`].+[^.]$/);
      expect(Number.isInteger(errorVocabulary[code].exitCode)).toBe(true);
    }
  });

  it('is the base of every error class in libs/ and apps/: each carries a code from it', () => {
    const classes = declaredClasses();
    const uncoded: string[] = [];
    for (const [name, { base, file }] of classes) {
      let ancestor = base;
      const seen = new Set<string>();
      while (classes.has(ancestor) && ancestor !== 'CodedError' && !seen.has(ancestor)) {
        seen.add(ancestor);
        ancestor = classes.get(ancestor)!.base;
      }
      const anError = builtInErrors.has(ancestor) || /Error$|Failure$/.test(name);
      if (anError && ancestor !== 'CodedError' && name !== 'CodedError') uncoded.push(`${name} (${file}) extends ${base}`);
    }
    expect(classes.size).toBeGreaterThan(20);
    expect(uncoded).toEqual([]);
  });

  it('recognises a coded error by its shape, and nothing else as one', () => {
    expect(isCodedError(new CodedError('not_found', 'there is no installation named x'))).toBe(true);
    expect(isCodedError(Object.assign(new Error('copied'), { code: 'busy' }))).toBe(true);
    expect(isCodedError(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
    expect(isCodedError({ code: 'busy', message: 'not an Error' })).toBe(false);
    expect(isCodedError(new TypeError('x is undefined'))).toBe(false);
  });
});

describe("README's error table", () => {
  it('lists exactly the vocabulary, with its exit statuses and meanings', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `([a-z_]+)` \| (\d+) \| (.+) \|$/gm)].map(([, code, exitCode, meaning]) => ({ code, exitCode: Number(exitCode), meaning }));
    expect(rows).toEqual(Object.entries(errorVocabulary).map(([code, { exitCode, meaning }]) => ({ code, exitCode, meaning })));
  });
});
