import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository's root, from libs/contracts/test. */
export const repositoryRoot = join(import.meta.dirname, '../../..');

function* sourcesUnder(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'test') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourcesUnder(path);
    else if (/\.(ts|mts|mjs|js)$/.test(name) && !/\.test\.ts$/.test(name)) yield path;
  }
}

/** Every production source of every lib and app (no tests), as its path from the root and its text. */
export function* productionSources(): Generator<{ where: string; text: string }> {
  for (const area of ['libs', 'apps']) {
    for (const project of readdirSync(join(repositoryRoot, area))) {
      if (!statSync(join(repositoryRoot, area, project)).isDirectory()) continue;
      for (const file of sourcesUnder(join(repositoryRoot, area, project, 'src'))) {
        yield { where: relative(repositoryRoot, file), text: readFileSync(file, 'utf8') };
      }
    }
  }
}
