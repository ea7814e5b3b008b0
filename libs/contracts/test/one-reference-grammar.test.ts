import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The reference grammar and the digest pattern have one home; a second copy is how the parsers
// came to disagree (uppercase hosts, `a//b`, `demo/hello` read as a registry). This walks every
// production source and names any file that spells one again.
const root = join(import.meta.dirname, '../../..');
const home = 'libs/contracts/src/reference-grammar.ts';

const copies: ReadonlyArray<readonly [RegExp, string]> = [
  [/\{64\}/, 'a pattern for the 64 hex digits of a digest'],
  [/sha256[:-]\\?\[/, 'a digest pattern'],
  [/\[a-z0-9\]\+\(\?:?\(\?:?/, 'a repository path-component pattern'],
  [/\[a-z0-9\._\/-\]|\[a-z0-9\.-\]\+\(\?::/, 'a repository or registry pattern'],
  [/__\|-\+|\[\._-\]\+?\[a-z0-9\]/, 'the separators of repository components'],
];

function* productionSources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'test') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* productionSources(path);
    else if (/\.(ts|mts|mjs|js)$/.test(name) && !/\.test\.ts$/.test(name)) yield path;
  }
}

function declaredCopies(): string[] {
  const found: string[] = [];
  for (const area of ['libs', 'apps']) {
    for (const project of readdirSync(join(root, area))) {
      const src = join(root, area, project, 'src');
      if (!statSync(join(root, area, project)).isDirectory()) continue;
      for (const file of productionSources(src)) {
        const where = relative(root, file);
        if (where === home) continue;
        const text = readFileSync(file, 'utf8');
        for (const [pattern, what] of copies) if (pattern.test(text)) found.push(`${where} declares ${what}`);
      }
    }
  }
  return found;
}

describe('the image-reference grammar', () => {
  it(`is declared in ${home} only`, () => {
    expect(declaredCopies()).toEqual([]);
  });

  it('is what the walk recognises, so the walk would catch a copy', () => {
    const text = readFileSync(join(root, home), 'utf8');
    for (const [pattern, what] of copies.slice(0, 3)) expect(pattern.test(text), what).toBe(true);
    for (const sample of ["/^[a-z0-9._/-]+@/", "/^[a-z0-9.-]+(?::\\d+)?\\//", "/([._-]+[a-z0-9]+)*/", "'(?:[._]|__|-+)'"]) {
      expect(copies.some(([pattern]) => pattern.test(sample)), sample).toBe(true);
    }
  });
});
