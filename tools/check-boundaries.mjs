// Architecture rules that lint cannot see:
// 1. an app never imports another app (apps talk over NATS only);
// 2. a lib never imports an app;
// 3. NATS subjects are spelled only in the contracts lib;
// 4. production code uses a lib's public face: `@lading/<lib>/internal` is for tests (and the testkit);
// 5. every lib has a public face, `src/index.ts`, that its package.json exports as `.`;
// 6. production code imports a lib only by its face or the sub-entries its package.json declares,
//    never by a path into another project;
// 7. the face stays small: every name a lib's index.ts exports is imported by some other project's
//    production code (what only tests use belongs in `src/internal.ts`). The testkit is for tests
//    only and is left out.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import ts from 'typescript';

// --root checks another tree (the check's own tests give it small ones); the default is this checkout.
const { values } = parseArgs({ options: { root: { type: 'string' } } });
const root = resolve(values.root ?? new URL('..', import.meta.url).pathname);
const apps = readdirSync(join(root, 'apps'));
const libs = readdirSync(join(root, 'libs'));
const problems = [];
/** lib -> the names other projects' production code imports from its face ('*' for all of them). */
const usedFromFace = new Map(libs.map((lib) => [lib, new Set()]));

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
      if (!testCode) checkProductionImports(file, text, where, project);
      if (area === 'libs' && project === 'contracts') continue;
      if (/\.test\.ts$/.test(file)) continue;
      for (const match of text.matchAll(/['"`](lading\.(?:builder|guard|broker|runner|runs|audit)\.[a-z.>*]+)['"`]/g)) {
        problems.push(`${where} spells the subject ${match[1]}; import it from @lading/contracts`);
      }
    }
  }
}

for (const lib of libs) {
  const index = join(root, 'libs', lib, 'src', 'index.ts');
  if (!existsSync(index)) {
    problems.push(`libs/${lib} has no src/index.ts; every lib has a public face`);
    continue;
  }
  if (entriesOf(lib).get('.') !== './src/index.ts') problems.push(`libs/${lib}/package.json does not export src/index.ts as "."`);
  if (lib === 'testkit') continue;
  const used = usedFromFace.get(lib);
  if (used.has('*')) continue;
  for (const name of faceExports(index)) {
    if (!used.has(name)) {
      problems.push(`libs/${lib}/src/index.ts exports ${name}, which no other project's production code imports; move it to src/internal.ts if tests need it, or drop it`);
    }
  }
}

if (problems.length > 0) {
  console.error(`architecture check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('architecture check: apps are independent, subjects live in @lading/contracts, production code uses small public faces');

/** The entries a lib's package.json declares, by name ('.', './internal', ...), with their source files. */
function entriesOf(lib) {
  const manifest = JSON.parse(readFileSync(join(root, 'libs', lib, 'package.json'), 'utf8'));
  return new Map(Object.entries(manifest.exports ?? {}).map(([name, conditions]) => [name, conditions['@lading/source']]));
}

function checkProductionImports(file, text, where, project) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  for (const statement of source.statements) {
    const isImport = ts.isImportDeclaration(statement);
    if (!isImport && !(ts.isExportDeclaration(statement) && statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    if (specifier.startsWith('.')) {
      const target = relative(root, resolve(dirname(file), specifier)).split('/');
      if ((target[0] === 'libs' || target[0] === 'apps') && target[1] !== project) {
        problems.push(`${where} imports ${specifier}, a path into ${target[0]}/${target[1]}; import the lib by its name`);
      }
      continue;
    }
    const lading = specifier.match(/^@lading\/([a-z-]+)(\/.*)?$/);
    if (!lading || !libs.includes(lading[1])) continue;
    const [, lib, subpath] = lading;
    if (subpath !== undefined) {
      if (subpath !== '/internal' && !entriesOf(lib).has(`.${subpath}`)) problems.push(`${where} imports @lading/${lib}${subpath}, which libs/${lib}/package.json does not export`);
      continue;
    }
    if (lib === project) continue;
    for (const name of importedNames(statement, isImport)) usedFromFace.get(lib).add(name);
  }
}

function importedNames(statement, isImport) {
  if (!isImport) {
    const clause = statement.exportClause;
    return clause && ts.isNamedExports(clause) ? clause.elements.map((element) => (element.propertyName ?? element.name).text) : ['*'];
  }
  const bindings = statement.importClause?.namedBindings;
  if (!bindings) return statement.importClause?.name ? ['default'] : [];
  if (ts.isNamespaceImport(bindings)) return ['*'];
  return bindings.elements.map((element) => (element.propertyName ?? element.name).text);
}

/** The names a lib's index.ts exports (an `export *` there would hide them: name each one instead). */
function faceExports(index) {
  const source = ts.createSourceFile(index, readFileSync(index, 'utf8'), ts.ScriptTarget.Latest, true);
  const names = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (clause && ts.isNamedExports(clause)) names.push(...clause.elements.map((element) => element.name.text));
      else problems.push(`${relative(root, index)} re-exports all of ${statement.moduleSpecifier?.text}; name what the face exports`);
    } else if (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) {
      const declared = statement.name?.text ?? statement.declarationList?.declarations.map((declaration) => declaration.name.getText(source)).join(', ');
      if (declared) names.push(declared);
    }
  }
  return names;
}
