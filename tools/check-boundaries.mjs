// Architecture rules that lint cannot see:
// 1. an app never imports another app (apps talk over NATS only);
// 2. a lib never imports an app;
// 3. NATS subjects are spelled only in the contracts lib;
// 4. production code uses a lib's public face: `@lading/<lib>/internal` is for tests (and the testkit).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const apps = readdirSync(join(root, 'apps'));
const problems = [];

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|mts|js|mjs)$/.test(name)) yield path;
  }
}

for (const area of ['apps', 'libs']) {
  for (const project of readdirSync(join(root, area))) {
    for (const file of sourceFiles(join(root, area, project))) {
      const text = readFileSync(file, 'utf8');
      const where = relative(root, file);
      for (const match of text.matchAll(/from\s+['"]@lading\/([a-z-]+)['"]/g)) {
        const target = match[1];
        if (apps.includes(target) && target !== project) problems.push(`${where} imports the app @lading/${target}`);
      }
      const testCode = /\.test\.ts$/.test(file) || !where.includes('/src/') || project === 'testkit';
      for (const match of text.matchAll(/from\s+['"]@lading\/([a-z-]+)\/internal['"]/g)) {
        if (!testCode) problems.push(`${where} imports @lading/${match[1]}/internal; production code uses the lib's public face`);
      }
      if (area === 'libs' && project === 'contracts') continue;
      if (/\.test\.ts$/.test(file)) continue;
      for (const match of text.matchAll(/['"`](lading\.(?:builder|guard|broker|runner|runs|audit)\.[a-z.>*]+)['"`]/g)) {
        problems.push(`${where} spells the subject ${match[1]}; import it from @lading/contracts`);
      }
    }
  }
}

if (problems.length > 0) {
  console.error(`architecture check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('architecture check: apps are independent, subjects live in @lading/contracts, production code uses public faces');
