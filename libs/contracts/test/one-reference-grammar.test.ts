import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { productionSources, repositoryRoot as root } from './production-sources.js';

// The reference grammar and the digest pattern have one home; a second copy is how the parsers
// came to disagree (uppercase hosts, `a//b`, `demo/hello` read as a registry). This walks every
// production source and names any file that spells one again.
const home = 'libs/contracts/src/reference-grammar.ts';

const copies: ReadonlyArray<readonly [RegExp, string]> = [
  [/\{64\}/, 'a pattern for the 64 hex digits of a digest'],
  [/sha256[:-]\\?\[/, 'a digest pattern'],
  [/\[a-z0-9\]\+\(\?:?\(\?:?/, 'a repository path-component pattern'],
  [/\[a-z0-9\._\/-\]|\[a-z0-9\.-\]\+\(\?::/, 'a repository or registry pattern'],
  [/__\|-\+|\[\._-\]\+?\[a-z0-9\]/, 'the separators of repository components'],
];

function declaredCopies(): string[] {
  const found: string[] = [];
  for (const { where, text } of productionSources()) {
    if (where === home) continue;
    for (const [pattern, what] of copies) if (pattern.test(text)) found.push(`${where} declares ${what}`);
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
