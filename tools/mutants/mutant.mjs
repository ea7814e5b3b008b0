// Reads the list of guarantee-breaking changes (mutants.json) and applies one of them.
// Called by run.sh; kept in Node so that the list stays plain JSON and the edit is an exact
// text replacement (no regular expressions, no line numbers that drift as the code changes).
//
//   node tools/mutants/mutant.mjs check          every entry well formed, every search text found once
//   node tools/mutants/mutant.mjs ids [ID...]    the ids to run (all, or the ones named), one a line
//   node tools/mutants/mutant.mjs show ID        id, guarantee and file, tab-separated
//   node tools/mutants/mutant.mjs apply ID       writes the mutant into its file (exit 3: stale)
//   node tools/mutants/mutant.mjs suites ID      one line per project: its folder, then its test files
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const listFile = join(import.meta.dirname, 'mutants.json');
const guarantees = ['just-in-time-secrets', 'digests-not-tags', 'bring-your-own-artifacts', 'never-root', 'no-overwrite'];
const fields = ['id', 'guarantee', 'file', 'search', 'replace', 'tests'];

function fail(message, code = 2) {
  console.error(message);
  process.exit(code);
}

function load() {
  const list = JSON.parse(readFileSync(listFile, 'utf8')).mutants;
  const seen = new Set();
  for (const [index, mutant] of list.entries()) {
    const where = `mutant ${mutant.id ?? `#${index + 1}`} in ${relative(root, listFile)}`;
    const missing = fields.filter((field) => mutant[field] === undefined);
    if (missing.length > 0) fail(`${where} lacks ${missing.join(', ')}.`);
    if (seen.has(mutant.id)) fail(`${where} repeats an id; ids are unique.`);
    seen.add(mutant.id);
    if (!guarantees.includes(mutant.guarantee)) fail(`${where} names guarantee ${mutant.guarantee}; use one of ${guarantees.join(', ')}.`);
    if (mutant.search === mutant.replace) fail(`${where} replaces its search text with itself.`);
    if (!Array.isArray(mutant.tests) || mutant.tests.length === 0) fail(`${where} names no test file that must catch it.`);
    for (const test of mutant.tests) if (!existsSync(join(root, test))) fail(`${where} names test ${test}, which does not exist.`);
  }
  return list;
}

function find(list, id) {
  const mutant = list.find((entry) => entry.id === id);
  if (!mutant) fail(`there is no mutant ${id}; \`bash tools/mutants/run.sh --list\` shows them.`);
  return mutant;
}

/** How often the search text occurs now: 1 is the only count a mutant can be applied at. */
function occurrences(mutant) {
  const path = join(root, mutant.file);
  if (!existsSync(path)) return { text: undefined, count: 0 };
  const text = readFileSync(path, 'utf8');
  return { text, count: text.split(mutant.search).length - 1 };
}

function staleReason(mutant, count) {
  if (!existsSync(join(root, mutant.file))) return `${mutant.file} no longer exists`;
  return count === 0 ? `its search text is no longer in ${mutant.file}` : `its search text occurs ${count} times in ${mutant.file}; make it unique`;
}

/** The project of a test file is the nearest folder above it with a vitest.config.ts. */
function projectOf(test) {
  for (let dir = dirname(join(root, test)); dir.startsWith(root) && dir !== root; dir = dirname(dir)) {
    if (existsSync(join(dir, 'vitest.config.ts'))) return relative(root, dir);
  }
  fail(`test ${test} is in no project with a vitest.config.ts.`);
}

const [command, ...args] = process.argv.slice(2);
const list = load();
switch (command) {
  case 'check': {
    const stale = list.filter((mutant) => occurrences(mutant).count !== 1);
    for (const mutant of stale) console.log(`stale     ${mutant.id}: ${staleReason(mutant, occurrences(mutant).count)}`);
    const counts = guarantees.map((guarantee) => `${guarantee} ${list.filter((mutant) => mutant.guarantee === guarantee).length}`);
    console.log(`${list.length} mutants (${counts.join(', ')}), ${stale.length} stale`);
    process.exit(stale.length > 0 ? 3 : 0);
    break;
  }
  case 'ids':
    for (const id of args.length > 0 ? args : list.map((mutant) => mutant.id)) console.log(find(list, id).id);
    break;
  case 'show': {
    const mutant = find(list, args[0]);
    console.log([mutant.id, mutant.guarantee, mutant.file].join('\t'));
    break;
  }
  case 'apply': {
    const mutant = find(list, args[0]);
    const { text, count } = occurrences(mutant);
    if (count !== 1) fail(staleReason(mutant, count), 3);
    writeFileSync(join(root, mutant.file), text.replace(mutant.search, () => mutant.replace));
    break;
  }
  case 'suites': {
    const byProject = new Map();
    for (const test of find(list, args[0]).tests) {
      const project = projectOf(test);
      byProject.set(project, [...(byProject.get(project) ?? []), test]);
    }
    for (const [project, tests] of byProject) console.log([project, ...tests].join('\t'));
    break;
  }
  default:
    fail('usage: node tools/mutants/mutant.mjs check | ids [ID...] | show ID | apply ID | suites ID');
}
