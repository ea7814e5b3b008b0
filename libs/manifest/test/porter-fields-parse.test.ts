import { describe, expect, it } from 'vitest';
import { ManifestError, parseManifest } from '../src/index.js';

// porter.yaml's names, image forms and templates into object fields, as the build reads them.
const porter = (body: string): string => `schemaVersion: 1.0.1
name: fields
version: 0.1.0
registry: localhost:5000
mixins: [exec]
${body}`;

function problems(text: string, file = 'porter.yaml'): string[] {
  try {
    parseManifest(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError);
    return (error as ManifestError).problems.map((p) => p.text.replace(/^.*?:\d+:\d+: /, ''));
  }
  throw new Error('expected the manifest to be refused');
}

const install = (argument: string) => `install:\n  - exec: { command: echo, arguments: ["${argument}"] }\n`;

describe('porter.yaml names', () => {
  it('takes dots and dashes in parameter, credential and output names, and gives a parameter Porter\'s variable', () => {
    const manifest = parseManifest(
      porter(`parameters: [{ name: users.json, type: string }, { name: db-name, type: string }]
credentials: [{ name: kube.config, path: /home/nonroot/.kube/config }]
outputs: [{ name: users.json, type: string }]
${install('${ bundle.parameters.users.json }')}`),
      'porter.yaml',
    );
    expect(manifest.parameters.map((p) => p.env)).toEqual(['USERS_JSON', 'DB_NAME']);
    expect(manifest.outputs[0].name).toBe('users.json');
    expect(manifest.actions.install[0].arguments[0]).toEqual([{ kind: 'parameter', name: 'users.json' }]);
  });

  it.each(['a..b', 'trailing.', '.hidden', 'a/b'])('refuses the name %s in one sentence', (name) => {
    expect(problems(porter(`outputs: [{ name: "${name}" }]\n${install('x')}`))).toEqual([expect.stringMatching(/^outputs\[0\]\.name must be 1-63 letters, digits, _, - or \./)]);
  });
});

describe('porter.yaml images', () => {
  it('reads the one-field image form, with its tag beside it or inside it', () => {
    const images = (entry: string) => parseManifest(porter(`images:\n  app: ${entry}\n${install('x')}`), 'porter.yaml').images.app;
    expect(images('{ image: "127.0.0.1:5000/team/app", tag: v0.1.1 }')).toEqual({ repository: '127.0.0.1:5000/team/app', tag: 'v0.1.1' });
    expect(images('{ image: "127.0.0.1:5000/team/app:v2" }')).toEqual({ repository: '127.0.0.1:5000/team/app', tag: 'v2' });
    expect(images(`{ image: "127.0.0.1:5000/team/app@sha256:${'a'.repeat(64)}" }`)).toEqual({ repository: '127.0.0.1:5000/team/app', digest: `sha256:${'a'.repeat(64)}` });
    expect(images('{ image: "127.0.0.1:5000/team/app" }')).toEqual({ repository: '127.0.0.1:5000/team/app', tag: 'latest' });
  });

  it('refuses image beside repository, a tag given twice and a reference that is not one', () => {
    expect(problems(porter(`images:\n  app: { image: "r.io/a/b", repository: "r.io/a/b" }\n${install('x')}`))).toEqual([expect.stringContaining('images.app.image and repository name the same thing')]);
    expect(problems(porter(`images:\n  app: { image: "r.io/a/b:v1", tag: v2 }\n${install('x')}`))).toEqual([expect.stringContaining('images.app.tag is given twice')]);
    expect(problems(porter(`images:\n  app: { image: "Not A Reference" }\n${install('x')}`))).toEqual([expect.stringContaining('images.app.image must be an image reference')]);
  });
});

describe('templates into object fields', () => {
  it('reads ${ bundle.parameters.config.server.port } as a field of object parameter config, and ${{ … }} as the same', () => {
    const manifest = parseManifest(porter(`parameters: [{ name: config, type: object }]\n${install('${{ bundle.parameters.config.server.port }}')}`), 'porter.yaml');
    expect(manifest.actions.install[0].arguments[0]).toEqual([{ kind: 'parameter', name: 'config', field: ['server', 'port'] }]);
  });

  it('refuses a field of a parameter that is no object, and of one not declared', () => {
    expect(problems(porter(`parameters: [{ name: region, type: string }]\n${install('${ bundle.parameters.region.name }')}`))).toEqual([
      expect.stringContaining('reads field "name" of parameter "region", which is of type string; only object parameters have fields'),
    ]);
    expect(problems(porter(install('${ bundle.parameters.config.name }')))).toEqual([expect.stringContaining('refers to parameter "config.name", which is not declared')]);
  });
});

describe('jsonPath step outputs', () => {
  it('are read in lading.yaml too, and a step output takes exactly one of regex, jsonPath or path', () => {
    const lading = `name: fields
version: 0.1.0
registry: localhost:5000
outputs: [{ name: user }]
install:
  - exec: { command: echo, outputs: [{ name: user, jsonPath: "$.user" }] }
`;
    expect(parseManifest(lading).actions.install[0].outputs[0]).toEqual({ name: 'user', jsonPath: '$.user', program: 'one\nK\tuser' });
    expect(problems(lading.replace('jsonPath: "$.user"', 'jsonPath: "$.user", regex: "x"'), 'lading.yaml')).toEqual([expect.stringContaining('must have exactly one of regex or jsonPath')]);
  });
});

describe('a parameter default and its JSON-Schema keywords', () => {
  it('refuses a default its own keywords do not allow, as Porter does at build', () => {
    expect(problems(porter(`parameters: [{ name: replicas, type: integer, default: 9, minimum: 1, maximum: 5 }]\n${install('x')}`))).toEqual([
      'parameters[0].default must be at most 5 (maximum in its definition)',
    ]);
    expect(problems(porter(`parameters: [{ name: size, type: string, default: xl, enum: [s, m, l] }]\n${install('x')}`))).toEqual([
      'parameters[0].default must be one of "s", "m", "l" (enum in its definition)',
    ]);
    expect(parseManifest(porter(`parameters: [{ name: replicas, type: integer, default: 3, minimum: 1, maximum: 5 }]\n${install('x')}`), 'porter.yaml').parameters[0].default).toBe(3);
  });
});
