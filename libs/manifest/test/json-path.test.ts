import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileJsonPath } from '../src/json-path.js';
import { jsonReaderAwk } from '../src/json-reader-awk.js';

// The awks bundles' base images have: Debian's mawk, busybox's, and GNU awk where a base has it.
const awks = [['mawk'], ['busybox', 'awk'], ['gawk']].filter(([program]) => existsSync(`/usr/bin/${program}`));

function evaluate(awk: string[], path: string, document: string): { status: number | null; value: string; stderr: string } {
  const compiled = compileJsonPath(path);
  if (!('program' in compiled)) throw new Error(compiled.problem);
  const result = spawnSync(awk[0], [...awk.slice(1), jsonReaderAwk], {
    input: document,
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin', LC_ALL: 'C', LADING_JSON_PATH: compiled.program },
  });
  return { status: result.status, value: result.stdout, stderr: result.stderr };
}

// The document and answers of Porter's own exec mixin test (pkg/exec/builder/output_jsonpath_test.go).
const porterDocument = JSON.stringify([
  {
    id: '1085517466897181794',
    index: 0,
    tags: { fingerprint: '42WmSpB8rSM=' },
    deletionProtection: false,
    cpuPlatform: 'Intel Haswell',
  },
]).replace('"index":0', '"index":0,"_id":123123123,"_bigId":1.23123123e+08');

const porterCases: [string, string][] = [
  ['$[*].id', '["1085517466897181794"]'],
  ['$[0].tags', '{"fingerprint":"42WmSpB8rSM="}'],
  ['$[0].index', '0'],
  ['$[0]._id', '123123123'],
  ['$[0]._bigId', '1.23123123e+08'],
  ['$[0].deletionProtection', 'false'],
  ['$[0].cpuPlatform', 'Intel Haswell'],
];

const document = '{"users": ["sally", "wei"], "b": {"z": 1, "a": [true, null]}, "odd key": "x<y>&z\\u00e9\\ud83d\\ude00\\n", "dup": 1, "dup": 2}\ntrailing log line';

const cases: [string, string][] = [
  ['$.users[0]', 'sally'],
  ['$.users[-1]', 'wei'],
  // Past the end of a list is nil to Porter's reader, not an error.
  ['$.users[5]', '<nil>'],
  ['$.users', '["sally","wei"]'],
  ['$.b', '{"a":[true,null],"z":1}'],
  ['$.b.a[1]', '<nil>'],
  ["$['odd key']", 'x<y>&z\u00e9\u{1f600}\n'],
  ['$["b"]["z"]', '1'],
  ['$.dup', '2'],
  ['$..a', '[[true,null]]'],
  ['$.users[*]', '["sally","wei"]'],
  ['$.users[0,1]', '["sally","wei"]'],
  ['$.users[1:]', '["wei"]'],
  ['$.users[::-1]', '["wei","sally"]'],
  ['$.users[:1]', '["sally"]'],
  ['$.*.z', '[1]'],
  ['$[*]', '[["sally","wei"],{"a":[true,null],"z":1},"x\\u003cy\\u003e\\u0026z\u00e9\u{1f600}\\n",2]'],
  ['$.missing[*]', '[]'],
  ['$', '{"b":{"a":[true,null],"z":1},"dup":2,"odd key":"x\\u003cy\\u003e\\u0026z\u00e9\u{1f600}\\n","users":["sally","wei"]}'],
];

describe.each(awks)('the run script\'s JSON reader under %s', (...awk) => {
  it.each(porterCases)('%s gives what Porter\'s exec mixin test expects', (path, expected) => {
    expect(evaluate(awk, path, porterDocument)).toMatchObject({ status: 0, value: expected });
  });

  it.each(cases)('%s', (path, expected) => {
    expect(evaluate(awk, path, document)).toMatchObject({ status: 0, value: expected });
  });

  it('fails a plain path whose key is missing, naming the key, as Porter fails the step', () => {
    const result = evaluate(awk, '$.user', '{"users": []}');
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('no key user');
  });

  it('fails on output that is not JSON, and writes an empty value for empty output', () => {
    expect(evaluate(awk, '$.a', 'Creating the cluster...\n{"a": 1}').status).toBe(2);
    expect(evaluate(awk, '$.a', '{"a": "unterminated').status).toBe(2);
    expect(evaluate(awk, '$.a', '')).toMatchObject({ status: 0, value: '' });
  });
});

describe('reading a jsonPath at build time', () => {
  it.each([
    ['user', 'must start with $'],
    ['$.users[?(@.name == "x")]', 'filters and scripts'],
    ['$.users[(@.length-1)]', 'filters and scripts'],
    ['$.user-output', 'expects'],
    ['$..[0:1]', 'slice'],
    ['$.users[0:1,2]', 'mixes'],
    ["$['a\\qb']", 'escape'],
    ["$['a", 'never closed'],
  ])('refuses %s in one sentence', (path, problem) => {
    const compiled = compileJsonPath(path);
    expect('problem' in compiled && compiled.problem).toContain(problem);
  });

  it('reads a path with only keys and indexes as one value, and one with *, .., unions or slices as a list', () => {
    expect(compileJsonPath('$.users[0]')).toEqual({ program: 'one\nK\tusers\nI\t0' });
    expect(compileJsonPath('$..name')).toEqual({ program: 'all\nD\nK\tname' });
    expect(compileJsonPath('$.a[1:]')).toEqual({ program: 'all\nK\ta\nR\t1\t2147483647\t1' });
  });
});
