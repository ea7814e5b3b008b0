// The README's tables name the files that carry each rule; this keeps those names true as code moves:
// 1. every path a table names in backticks (`libs/oci/src/reference.ts`, `apps/cli/test/`) exists;
// 2. a bare test file name (`run-network.test.ts`) is the name of some file in the checkout;
// 3. in an "enforced in" column every entry is a source file followed by the functions (or
//    classes, constants) that enforce the rule, `libs/x/src/y.ts` (`fn`, `Class`: what they do),
//    and each of them is declared in that file.
//
//   node tools/check-readme-paths.mjs [--readme README.md] [--root .]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { readme: { type: 'string' }, root: { type: 'string' } } });
const root = resolve(values.root ?? new URL('..', import.meta.url).pathname);
const readmePath = resolve(values.readme ?? join(root, 'README.md'));
const problems = [];

const pathLike = /^(?:apps|libs|tools|deploy|docs)\/[\w.@/-]*$/;
const bareFileName = /^[\w.-]+\.(?:test\.ts|ts|mjs)$/;
const identifier = /^[A-Za-z_$][\w$]*$/;

/** Base names of the checkout's files (what a bare `run-network.test.ts` may refer to). */
function fileNames(dir, names = new Set()) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) fileNames(path, names);
    else names.add(name);
  }
  return names;
}

/** Whether `file` declares `name`: a function, class, constant, type, or a method of a class. */
function declares(file, name) {
  const text = readFileSync(join(root, file), 'utf8');
  const escaped = name.replace(/\$/g, '\\$');
  const declaration = new RegExp(`\\b(?:function\\*?|class|const|let|var|interface|type|enum)\\s+${escaped}\\b`);
  const method = new RegExp(`^\\s*(?:(?:public|private|protected|static|async|readonly)\\s+)*${escaped}\\s*[(<]`, 'm');
  return declaration.test(text) || method.test(text);
}

/** A table row's cells, without the outer pipes; pipes inside backticks do not split. */
function cells(row) {
  const result = [];
  let current = '';
  let inCode = false;
  for (const character of row.trim().replace(/^\||\|$/g, '')) {
    if (character === '`') inCode = !inCode;
    if (character === '|' && !inCode) {
      result.push(current.trim());
      current = '';
    } else current += character;
  }
  result.push(current.trim());
  return result;
}

/**
 * The entries of an "enforced in" cell: each path with the identifiers in the parentheses right
 * after it, e.g. `libs/x/src/y.ts` (`fn`, `other`) → { path, names: ['fn', 'other'] }.
 */
function enforcedEntries(cell) {
  const entries = [];
  const pattern = /`([^`]+)`(?:\s*\(([^)]*)\))?/g;
  for (const match of cell.matchAll(pattern)) {
    if (!pathLike.test(match[1])) continue;
    // Names come first; a colon after them starts an explanation: (`fn`, `other`: why).
    const listed = match[2]?.replace(/(`[^`]*`)\s*:[\s\S]*$/, '$1');
    const names = [...(listed ?? '').matchAll(/`([^`]+)`/g)].map((name) => name[1]);
    entries.push({ path: match[1], names, listed });
  }
  return entries;
}

const lines = readFileSync(readmePath, 'utf8').split('\n');
let names;
let header;
lines.forEach((line, index) => {
  if (!line.startsWith('|')) {
    header = undefined;
    return;
  }
  const row = cells(line);
  if (row.every((cell) => /^:?-+:?$/.test(cell))) return;
  if (header === undefined) {
    header = row.map((cell) => cell.toLowerCase());
    return;
  }
  const where = `README line ${index + 1}`;
  for (const [, span] of line.matchAll(/`([^`]+)`/g)) {
    if (pathLike.test(span) && !existsSync(join(root, span))) problems.push(`${where} names ${span}, which does not exist`);
    if (bareFileName.test(span) && !span.includes('/')) {
      names ??= fileNames(root);
      if (!names.has(span)) problems.push(`${where} names ${span}, and no file in the checkout has that name`);
    }
  }
  const column = header.indexOf('enforced in');
  if (column < 0 || row[column] === undefined) return;
  const entries = enforcedEntries(row[column]);
  if (entries.length === 0) problems.push(`${where}: its "enforced in" cell names no file`);
  for (const { path, names: declared, listed } of entries) {
    if (!existsSync(join(root, path))) continue;
    if (!statSync(join(root, path)).isFile()) {
      problems.push(`${where}: "enforced in" names the directory ${path}; name the file and its functions`);
      continue;
    }
    if (declared.length === 0) problems.push(`${where}: "enforced in" names ${path} without the functions that enforce the rule, as \`${path}\` (\`name\`)`);
    for (const name of declared) {
      if (!identifier.test(name)) problems.push(`${where}: "${name}" after ${path} is not a function name`);
      else if (!declares(path, name)) problems.push(`${where}: ${path} declares no ${name}`);
    }
    if (listed !== undefined && /[^`,\s]/.test(listed.replace(/`[^`]*`/g, ''))) {
      problems.push(`${where}: the parentheses after ${path} hold words before the function names; put them after a colon: (${listed})`);
    }
  }
});

if (problems.length > 0) {
  console.error(`README path check failed (${basename(readmePath)}):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('README path check: every file and function the README names exists');
