/**
 * porter.yaml names its parameters, outputs, actions and required bundles as its author likes:
 * `constructor` and `toString` are ordinary names all the way into bundle.json, never taken for
 * what every object lends from its prototype; `__proto__` is refused at its line, as every name
 * that does not start with a letter or digit is.
 */
import { describe, expect, it } from 'vitest';
import { bundleNeeds, validateBundle } from '@lading/cnab';
import { applyResolvedDependencies, parseManifest, toBundleJson, type ResolvedDependency } from '../src/index.js';
import { problems } from './manifest-problems.js';

const digest = (c: string): string => `sha256:${c.repeat(64)}`;
const images = {
  baseImage: { reference: `127.0.0.1:5000/lading/busybox@${digest('b')}`, digest: digest('b') },
  images: {},
  invocationImage: { reference: `127.0.0.1:5000/bundles/app@${digest('a')}`, digest: digest('a'), mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1 },
};

const porter = (body: string): string => `schemaVersion: 1.0.1
name: app
version: 0.1.0
registry: 127.0.0.1:5000/bundles
mixins: [exec]
${body}
uninstall:
  - exec: { command: echo }
`;

const prototypeNamed = porter(`parameters:
  - { name: constructor, type: string }
  - { name: toString, type: string, default: "t" }
  - { name: hasOwnProperty, type: string, sensitive: true }
outputs:
  - { name: valueOf, type: string }
install:
  - exec: { command: echo, arguments: ["\${ bundle.parameters.constructor }"] }
constructor:
  - exec: { command: echo, arguments: ["\${ bundle.parameters.toString }"] }`);

describe('names objects lend from their prototype, in porter.yaml', () => {
  it('keeps constructor and toString as parameters, valueOf as an output and constructor as a custom action of bundle.json', () => {
    const manifest = parseManifest(prototypeNamed, 'porter.yaml');
    expect(Object.keys(manifest.actions).sort()).toEqual(['constructor', 'install', 'uninstall']);
    const bundle = validateBundle(toBundleJson(manifest, images));
    expect(Object.keys(bundle.parameters ?? {})).toEqual(expect.arrayContaining(['constructor', 'toString']));
    expect(Object.hasOwn(bundle.actions ?? {}, 'constructor')).toBe(true);
    const needs = bundleNeeds(bundle, 'install');
    expect(needs.parameters.find(({ name }) => name === 'constructor')).toMatchObject({ required: true, sensitive: false });
    expect(needs.parameters.find(({ name }) => name === 'toString')).toMatchObject({ required: false, sensitive: false, default: 't' });
    expect(needs.parameters.find(({ name }) => name === 'hasOwnProperty')).toMatchObject({ required: true, sensitive: true });
    expect(needs.outputs).toEqual([{ name: 'valueOf', sensitive: false }]);
  });

  it('reports an output constructor that the required bundle does not declare', () => {
    const manifest = parseManifest(
      porter(`dependencies:
  requires:
    - { name: db, bundle: { reference: "127.0.0.1:5000/bundles/db:v1" }, parameters: { toString: "x" } }
install:
  - exec: { command: echo, arguments: ["\${ bundle.dependencies.db.outputs.constructor }"] }`),
      'porter.yaml',
    );
    const db: ResolvedDependency = { reference: `127.0.0.1:5000/bundles/db@${digest('c')}`, name: 'db', version: '1.0.0', outputs: { user: { sensitive: false } }, parameters: ['user'] };
    expect(applyResolvedDependencies(manifest, { db })).toEqual([
      `dependencies.requires db hands parameter toString to ${db.reference}, which has no such parameter`,
      `the steps read output constructor of dependency db, which ${db.reference} does not declare`,
    ]);
  });

  it('finds no resolved bundle for the alias constructor unless the build resolved one', () => {
    const manifest = parseManifest(
      porter(`dependencies:
  requires:
    - { name: constructor, bundle: { reference: "127.0.0.1:5000/bundles/db:v1" } }
install:
  - exec: { command: echo }`),
      'porter.yaml',
    );
    expect(() => applyResolvedDependencies(manifest, {})).toThrow(/^Dependency "constructor" was not resolved/);
  });

  it('refuses a template naming an image constructor that images: does not declare', () => {
    const found = problems(porter(`install:
  - exec: { command: echo, arguments: ["\${ bundle.images.constructor.repository }"] }`));
    expect(found).toEqual([expect.stringMatching(/refers to image "constructor", which is not declared under images$/)]);
  });

  it('refuses __proto__ as a parameter or output name at its line', () => {
    const found = problems(
      porter(`parameters:
  - { name: __proto__, type: string }
outputs:
  - { name: __proto__, type: string }
install:
  - exec: { command: echo }`),
    );
    expect(found).toHaveLength(2);
    for (const problem of found) expect(problem).toMatch(/^porter\.yaml:\d+:\d+: .*name must be 1-63 letters, digits, _, - or \., starting with a letter or digit/);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});
