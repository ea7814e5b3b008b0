import { describe, expect, it } from 'vitest';
import { bundleTag, overrideDestination, parseManifest, scaffoldPorterFiles, toBundleJson } from '../src/index.js';
import { problems } from './manifest-problems.js';

const porter = (body: string, version = '1.0.1'): string => `schemaType: Bundle
schemaVersion: ${version}
name: hello
version: 0.1.0
registry: localhost:5000
mixins:
  - exec
${body}`;
const steps = `install:
  - exec:
      command: ./helpers.sh
      arguments: [install]
uninstall:
  - exec:
      command: ./helpers.sh
      arguments: [uninstall]
`;


describe('porter.yaml is read with Porter\'s meanings', () => {
  it.each(['1.0.0-alpha.1', '1.0.0', '1.0.1', '1.1.0', '1.2.0'])('accepts schemaVersion %s', (version) => {
    expect(parseManifest(porter(steps, version), 'porter.yaml').schemaVersion).toBe(version);
  });

  it('refuses a schemaVersion Porter does not read, naming the ones it does', () => {
    expect(problems(porter(steps, '2.0.0'))).toEqual([
      'porter.yaml:2:16: schemaVersion must be one of 1.0.0-alpha.1, 1.0.0, 1.0.1, 1.1.0, 1.2.0 (the porter.yaml versions Lading reads)',
    ]);
  });

  it('needs no baseImage, and the same text as lading.yaml is refused for its Porter-only keys', () => {
    const manifest = parseManifest(porter(steps), 'porter.yaml');
    expect(manifest.baseImage).toBeUndefined();
    expect(manifest.dialect).toBe('porter');
    expect(problems(porter(steps), 'lading.yaml')[0]).toContain('schemaType is not a known top-level key');
  });

  it('gives a parameter with neither env nor path the environment variable Porter gives it', () => {
    const manifest = parseManifest(porter(`parameters:\n  - { name: db-name, default: x }\n  - { name: port, type: integer, default: 1 }\n${steps}`), 'porter.yaml');
    expect(manifest.parameters.map((p) => p.env)).toEqual(["DB_NAME", "PORT"]);
  });

  it('makes credentials required unless they say otherwise', () => {
    const manifest = parseManifest(porter(`credentials:\n  - { name: token, env: TOKEN }\n  - { name: kube, path: /home/nonroot/.kube/config, required: false }\n${steps}`), 'porter.yaml');
    expect(manifest.credentials.map((c) => c.required)).toEqual([true, false]);
    expect(parseManifest(`name: a\nversion: 1.0.0\nregistry: r.io\ncredentials:\n  - { name: t, env: T }\n${steps}`).credentials[0].required).toBe(false);
  });

  it('takes any other top-level list of steps as a custom action with Porter\'s defaults', () => {
    const manifest = parseManifest(porter(`${steps}zombies:\n  - exec: { command: echo, arguments: [brains] }\n`), 'porter.yaml');
    expect(manifest.customActions.zombies).toEqual({ modifies: true, stateless: false });
    expect(Object.keys(manifest.actions)).toEqual(['install', 'uninstall', 'zombies']);
  });

  it('splits flags into words as the exec mixin does, in name order, quotes kept together; arguments stay as written', () => {
    const manifest = parseManifest(
      porter(`parameters:\n  - { name: who, default: a b }\ninstall:\n  - exec:
      command: helm
      arguments: ["install  demo", "'two words'", "\${ bundle.parameters.who }"]
      flags: { set: ["a=1 b=2"], v: 3, debug: null, atomic: true, wait: "" }
      suffix-arguments: ["one arg"]
`),
      'porter.yaml',
    );
    const args = manifest.actions.install[0].arguments.map((word) => word.map((part) => (part.kind === 'text' ? part.text : `<${part.kind}>`)).join(''));
    expect(args).toEqual(['install  demo', "'two words'", '<parameter>', '--atomic', 'true', '--debug', '--set', 'a=1', 'b=2', '-v', '3', '--wait', 'one arg']);
  });

  it('knows ${ } templates after 1.0.0-alpha.1 and {{ }} in it; a file value templates to its path', () => {
    const body = (open: string, close: string) => `parameters:
  - { name: kubeconfig, type: file, path: /home/nonroot/.kube/config }
outputs:
  - { name: url }
images:
  app: { repository: localhost:5000/app, tag: v1 }
install:
  - exec:
      command: echo
      arguments: ["${open} bundle.parameters.kubeconfig ${close}", "${open} bundle.name ${close}-${open} bundle.version ${close}", "${open} installation.name ${close}", "${open} bundle.images.app.digest ${close}", "${open} bundle.outputs.url ${close}"]
      outputs: [{ name: url, regex: "url=(.*)" }]
`;
    for (const [version, open, close] of [['1.0.1', '${', '}'], ['1.0.0-alpha.1', '{{', '}}']]) {
      const [step] = parseManifest(porter(body(open, close), version), 'porter.yaml').actions.install;
      expect(step.arguments).toEqual([
        [{ kind: 'parameter', name: 'kubeconfig', asPath: true }],
        [{ kind: 'text', text: 'hello-0.1.0' }],
        [{ kind: 'installation-name' }],
        [{ kind: 'image', name: 'app', field: 'digest' }],
        [{ kind: 'output', name: 'url' }],
      ]);
      expect(step.outputs).toEqual([{ name: 'url', regex: 'url=(.*)', groups: 1 }]);
    }
  });

  it('refuses an unknown ${ } expression instead of passing it on literally', () => {
    expect(problems(porter(`install:\n  - exec: { command: echo, arguments: ["\${ bundle.secrets.x }"] }\n`))).toEqual([
      expect.stringMatching(/^porter\.yaml:9:40: install\[0\]\.exec\.arguments\[0\] has an unknown template "\$\{ bundle\.secrets\.x \}"/),
    ]);
    expect(problems(porter(`install:\n  - exec: { command: echo, arguments: ["\${ HOME }"] }\n`))[0]).toContain('has an unknown template "${ HOME }"');
  });

  it('reads types, JSON-Schema keywords, bundle-level output paths and writes them to bundle.json', () => {
    const manifest = parseManifest(
      porter(`parameters:
  - { name: replicas, type: integer, default: 2, minimum: 1, maximum: 5 }
  - { name: size, type: string, default: s, enum: [s, m, l] }
  - { name: config, type: object, default: { a: 1 } }
outputs:
  - { name: report, type: file, path: report.txt }
${steps}`),
      'porter.yaml',
    );
    expect(manifest.outputs[0].path).toBe('/cnab/app/report.txt');
    const digest = `sha256:${'a'.repeat(64)}`;
    const bundle = toBundleJson(manifest, {
      baseImage: { reference: `localhost:5000/base@${digest}`, digest },
      images: {},
      invocationImage: { reference: `localhost:5000/hello@${digest}`, digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1 },
    });
    expect(bundle.definitions?.['replicas-parameter']).toEqual({ type: 'integer', default: 2, minimum: 1, maximum: 5 });
    expect(bundle.definitions?.['size-parameter']).toEqual({ type: 'string', default: 's', enum: ['s', 'm', 'l'] });
    expect(bundle.definitions?.['config-parameter']).toEqual({ type: 'object', default: { a: 1 } });
  });

  it('publishes to reference when given, and to --registry / --reference when the build says so', () => {
    const manifest = parseManifest(porter(steps).replace('registry: localhost:5000', 'reference: localhost:5000/team/hello:v9'), 'porter.yaml');
    expect(bundleTag(manifest)).toBe('localhost:5000/team/hello:v9');
    expect(bundleTag(overrideDestination(manifest, { registry: '127.0.0.1:5000/other/' }))).toBe('127.0.0.1:5000/other/hello:v0.1.0');
    expect(bundleTag(overrideDestination(manifest, { reference: '127.0.0.1:5000/x/y:z' }))).toBe('127.0.0.1:5000/x/y:z');
    expect(() => overrideDestination(manifest, { registry: 'Not A Registry' })).toThrow('--registry Not A Registry is not a registry');
  });

  it('writes the files `porter create` writes, and they parse', () => {
    const files = scaffoldPorterFiles({ name: 'demo', registry: '127.0.0.1:5000/bundles' });
    expect(Object.keys(files)).toEqual(['porter.yaml', 'helpers.sh', '.dockerignore']);
    expect(parseManifest(files['porter.yaml'], 'porter.yaml').parameters[0].env).toBe('NAME');
  });
});

describe('what porter.yaml asks for and Lading cannot do is refused, every problem at once', () => {
  it('lists each problem with file:line:col in document order', () => {
    const text = porter(`dockerfile: ../template.Dockerfile
state:
  - { name: tfstate, path: terraform.tfstate }
parameters:
  - { name: kubeconfig, path: /home/nonroot/.kube/config, source: { dependency: db, output: kubeconfig } }
install:
  - helm3: { chart: x }
  - exec:
      command: echo
      outputs: [{ name: user, jsonPath: "$.users[?(@.admin)]" }]
uninstall:
  - exec: { command: echo, arguments: ["\${ bundle.outputs.nothing }"] }
`).replace('  - exec\n', '  - exec\n  - helm3:\n      clientVersion: v3\n');
    expect(problems(text)).toEqual([
      expect.stringMatching(/^porter\.yaml:8:5: mixins\[1\] names the helm3 mixin, which Lading does not have/),
      expect.stringMatching(/^porter\.yaml:10:13: dockerfile must be a path inside the bundle directory/),
      expect.stringMatching(/^porter\.yaml:14:\d+: parameters\[0\] takes its value from output "kubeconfig" of dependency "db", which dependencies.requires does not declare/),
      expect.stringMatching(/^porter\.yaml:16:5: install\[0\]\.helm3 uses the helm3 mixin, which Lading does not have/),
      expect.stringMatching(/^porter\.yaml:19:41: install\[1\]\.exec\.outputs\[0\]\.jsonPath filters and scripts .* are not supported/),
      expect.stringMatching(/^porter\.yaml:21:40: uninstall\[0\]\.exec\.arguments\[0\] refers to output "nothing"/),
    ]);
  });
});

describe('mixins other than exec and kubernetes', () => {
  it.each(['helm3', 'terraform', 'az', 'arm', 'docker', 'kubernetes-extra'])('refuses %s in mixins and in a step, naming it and what to do', (mixin) => {
    const text = porter(`install:\n  - ${mixin}:\n      description: uses ${mixin}\n`).replace('  - exec\n', `  - exec\n  - ${mixin}\n`);
    expect(problems(text)).toEqual([
      `porter.yaml:8:5: mixins[1] names the ${mixin} mixin, which Lading does not have; remove it. Lading runs only the exec and kubernetes mixins: call the tool from an exec step, on a base image or a dockerfile template that installs it`,
      `porter.yaml:10:5: install[0].${mixin} uses the ${mixin} mixin, which Lading does not have; Lading runs only the exec and kubernetes mixins: call the tool from an exec step, on a base image or a dockerfile template that installs it`,
    ]);
  });
});
