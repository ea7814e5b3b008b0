/**
 * porter.yaml's `dependencies.requires` (Porter's dependencies v1): read, wired to the steps
 * through generated parameters, pinned by digest in bundle.json the CNAB way, and every wrong
 * shape refused at its line and column, all at once.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEPENDENCIES_EXTENSION, PARAMETER_SOURCES_EXTENSION, requiredBundles, validateBundle } from '@lading/cnab';
import { dependencyParameterDefaults } from '@lading/cnab/dependencies';
import { applyResolvedDependencies, parseManifest, renderRunScript, toBundleJson, type Manifest, type ResolvedDependency } from '../src/index.js';
import { problems } from './manifest-problems.js';

const digest = (c: string): string => `sha256:${c.repeat(64)}`;
const images = {
  baseImage: { reference: `127.0.0.1:5000/lading/busybox@${digest('b')}`, digest: digest('b') },
  images: {},
  invocationImage: { reference: `127.0.0.1:5000/bundles/wordpress@${digest('a')}`, digest: digest('a'), mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1 },
};
const fixture = readFileSync(resolve(import.meta.dirname, '../../../apps/cli/test/dependency-bundles/wordpress/porter.yaml'), 'utf8').replaceAll('REGISTRY', '127.0.0.1:5000');
const mysql: ResolvedDependency = {
  reference: `127.0.0.1:5000/bundles/mysql@${digest('c')}`,
  name: 'mysql',
  version: '0.1.4',
  description: "A stand-in database that makes a user and a password",
  outputs: { 'mysql-user': { sensitive: false }, 'mysql-password': { sensitive: true } },
  parameters: ['database-name', 'mysql-user', 'salt', 'fail'],
};

function resolved(manifest: Manifest, found: Record<string, ResolvedDependency> = { mysql }): Manifest {
  const applied = applyResolvedDependencies(manifest, found);
  if (Array.isArray(applied)) throw new Error(applied.join('; '));
  return applied;
}

const porter = (body: string): string => `schemaVersion: 1.0.1
name: app
version: 0.1.0
registry: 127.0.0.1:5000/bundles
mixins: [exec]
${body}`;

describe('dependencies.requires as read', () => {
  const manifest = parseManifest(fixture, 'porter.yaml');

  it('keeps each required bundle with its alias, reference and the values it hands over', () => {
    expect(manifest.dependencies).toEqual([
      { name: 'mysql', reference: '127.0.0.1:5000/bundles/mysql:v0.1.4', parameters: { 'database-name': 'wordpress', 'mysql-user': 'wordpress' } },
    ]);
  });

  it("wires each output the steps read through Porter's generated parameter, sensitive until the build reads the required bundle", () => {
    const wiring = manifest.parameters.filter((p) => p.source?.dependency !== undefined);
    expect(wiring).toEqual([
      expect.objectContaining({ name: 'porter-mysql-mysql-password-dep-output', env: 'PORTER_MYSQL_MYSQL_PASSWORD_DEP_OUTPUT', sensitive: true, required: false, applyTo: ['install', 'upgrade'], source: { output: 'mysql-password', dependency: 'mysql' } }),
      expect.objectContaining({ name: 'porter-mysql-mysql-user-dep-output', env: 'PORTER_MYSQL_MYSQL_USER_DEP_OUTPUT', sensitive: true, source: { output: 'mysql-user', dependency: 'mysql' } }),
    ]);
    expect(manifest.actions.install?.[0]?.arguments[2]).toEqual([{ kind: 'parameter', name: 'porter-mysql-mysql-password-dep-output' }]);
  });

  it('takes the sensitivity of each output from the required bundle the build read', () => {
    const sensitivity = Object.fromEntries(resolved(manifest).parameters.map((p) => [p.name, p.sensitive]));
    expect(sensitivity).toMatchObject({ 'porter-mysql-mysql-password-dep-output': true, 'porter-mysql-mysql-user-dep-output': false });
  });

  it('reads a parameter sourced from a dependency output, applying to install too (the dependency runs first)', () => {
    const read = parseManifest(
      porter(`dependencies:
  requires:
    - { name: db, bundle: { reference: "127.0.0.1:5000/bundles/db:v1" } }
parameters:
  - { name: conn, type: string, sensitive: true, source: { dependency: db, output: connstr } }
install:
  - exec: { command: echo, arguments: ["\${ bundle.parameters.conn }"] }
uninstall:
  - exec: { command: echo }
`),
      'porter.yaml',
    );
    expect(read.parameters[0]).toMatchObject({ name: 'conn', source: { output: 'connstr', dependency: 'db' } });
    expect(read.parameters[0]?.applyTo).toBeUndefined();
  });
});

describe('bundle.json of a bundle with dependencies', () => {
  const bundle = validateBundle(toBundleJson(resolved(parseManifest(fixture, 'porter.yaml')), images));

  it('names each required bundle by digest in CNAB dependencies extension, in order, and requires the extension', () => {
    expect(bundle.requiredExtensions).toEqual([PARAMETER_SOURCES_EXTENSION, DEPENDENCIES_EXTENSION]);
    expect(bundle.custom?.[DEPENDENCIES_EXTENSION]).toEqual({ sequence: ['mysql'], requires: { mysql: { bundle: mysql.reference } } });
    expect(requiredBundles(bundle)).toEqual([{ alias: 'mysql', bundle: mysql.reference }]);
    expect(JSON.stringify(bundle)).not.toContain('mysql:v0.1.4');
  });

  it("sources each wiring parameter from the dependency's output, as Porter writes it, and marks only the sensitive one writeOnly", () => {
    const sources = bundle.custom?.[PARAMETER_SOURCES_EXTENSION] as Record<string, unknown>;
    expect(sources['porter-mysql-mysql-password-dep-output']).toEqual({
      priority: ['dependencies.output'],
      sources: { 'dependencies.output': { dependency: 'mysql', name: 'mysql-password' } },
    });
    const definitionOf = (name: string) => bundle.definitions?.[bundle.parameters?.[name]?.definition ?? ''];
    expect(definitionOf('porter-mysql-mysql-password-dep-output')?.writeOnly).toBe(true);
    expect(definitionOf('porter-mysql-mysql-user-dep-output')?.writeOnly).toBeUndefined();
  });

  it('keeps the values handed to each required bundle for the lading command', () => {
    expect(dependencyParameterDefaults(bundle, 'mysql')).toEqual({ 'database-name': 'wordpress', 'mysql-user': 'wordpress' });
    expect(dependencyParameterDefaults(bundle, 'other')).toEqual({});
  });

  it('is never written with a required bundle the build did not pin', () => {
    expect(() => toBundleJson(parseManifest(fixture, 'porter.yaml'), images)).toThrow(/not pinned to a digest/);
  });

  it("renders the required bundle's name and version into the run script as text fixed at build", () => {
    const script = renderRunScript(resolved(parseManifest(fixture, 'porter.yaml')), { images: {} });
    expect(script).toContain(`'mysql''@''0.1.4'`);
    expect(script).toContain('"$PORTER_MYSQL_MYSQL_PASSWORD_DEP_OUTPUT"');
  });
});

describe('what the build finds in the required bundle', () => {
  it('refuses an output it does not declare, a parameter it does not take, and a plain parameter fed a sensitive output', () => {
    const manifest = parseManifest(
      porter(`dependencies:
  requires:
    - { name: mysql, bundle: { reference: "127.0.0.1:5000/bundles/mysql:v0.1.4" }, parameters: { port: 3306 } }
parameters:
  - { name: pw, type: string, source: { dependency: mysql, output: mysql-password } }
install:
  - exec: { command: echo, arguments: ["\${ bundle.dependencies.mysql.outputs.nothing }"] }
uninstall:
  - exec: { command: echo }
`),
      'porter.yaml',
    );
    expect(applyResolvedDependencies(manifest, { mysql })).toEqual([
      `dependencies.requires mysql hands parameter port to ${mysql.reference}, which has no such parameter`,
      'parameter pw takes the sensitive output mysql-password of dependency mysql; mark it sensitive: true',
      `the steps read output nothing of dependency mysql, which ${mysql.reference} does not declare`,
    ]);
  });
});

describe('wrong dependencies are refused at their line and column, every problem at once', () => {
  it('lists each problem in one report', () => {
    const text = porter(`dependencies:
  requires:
    - name: MySQL
      bundle: { reference: "127.0.0.1:5000/bundles/mysql:v1" }
    - name: db
      bundle: { reference: "127.0.0.1:5000/bundles/db:v1", version: "1.x" }
    - name: db
      bundle: { reference: "127.0.0.1:5000/bundles/db2:v1" }
    - name: cache
      sharing: { mode: group }
      bundle: { reference: "127.0.0.1:5000/bundles/cache:v1" }
    - name: queue
      bundle: { reference: "127.0.0.1:5000/bundles/queue" }
    - name: web
      bundle: { reference: "127.0.0.1:5000/bundles/web:v1" }
      parameters: { config: { nested: true } }
install:
  - exec: { command: echo, arguments: ["\${ bundle.dependencies.nothing.outputs.x }"] }
  - exec: { command: echo, arguments: ["\${ bundle.dependencies.db.size }"] }
uninstall:
  - exec: { command: echo }
`);
    expect(problems(text)).toEqual([
      expect.stringMatching(/^porter\.yaml:8:13: dependencies\.requires\[0\]\.name must be 1-32 lower-case letters/),
      expect.stringMatching(/^porter\.yaml:11:69: dependencies\.requires\[1\]\.bundle\.version is not supported: Lading pins a required bundle by its reference alone/),
      expect.stringMatching(/^porter\.yaml:12:7: dependencies\.requires\[2\] reuses the dependency name "db"/),
      expect.stringMatching(/^porter\.yaml:15:7: dependencies\.requires\[3\]\.sharing is not a known field of dependencies\.requires\[3\]; use one of name, bundle, parameters/),
      expect.stringMatching(/^porter\.yaml:18:28: dependencies\.requires\[4\]\.bundle\.reference must be a bundle reference with a tag or digest/),
      expect.stringMatching(/^porter\.yaml:21:29: dependencies\.requires\[5\]\.parameters\.config must be a single value/),
      expect.stringMatching(/^porter\.yaml:23:40: install\[0\]\.exec\.arguments\[0\] refers to dependency "nothing", which dependencies\.requires does not declare/),
      expect.stringMatching(/^porter\.yaml:24:40: install\[1\]\.exec\.arguments\[0\] has an unknown template "\$\{ bundle\.dependencies\.db\.size \}"/),
    ]);
  });

  it('refuses a dependencies section that is not a mapping of requires', () => {
    expect(problems(porter(`dependencies:
  provides: { interface: { id: mysql } }
install:
  - exec: { command: echo }
`))).toEqual([expect.stringMatching(/^porter\.yaml:7:3: dependencies\.provides is not a known field of dependencies; use one of requires/)]);
  });

  it('keeps dependencies a porter.yaml field: lading.yaml refuses the key', () => {
    expect(problems(`name: app
version: 0.1.0
registry: 127.0.0.1:5000/bundles
dependencies: { requires: [] }
install:
  - exec: { command: echo }
`, 'lading.yaml')).toEqual([expect.stringMatching(/^lading\.yaml:4:1: dependencies is not a known top-level key/)]);
  });
});
