import { describe, expect, it } from 'vitest';
import { bundleTag, ManifestError, parseManifest, scaffoldFiles, scaffoldManifest } from '../src/internal.js';

const head = `name: hello
version: 0.1.0
registry: 127.0.0.1:5000/demo
baseImage: 127.0.0.1:5000/lading/busybox:1.35
`;
const install = `install:
  - exec:
      command: echo
`;

const full = `schemaVersion: 1.0.0
name: hello
version: 0.1.0-rc.1+build.5
description: Says hello
registry: 127.0.0.1:5000/demo
baseImage: 127.0.0.1:5000/lading/busybox@sha256:${'b'.repeat(64)}
credentials:
  - { name: api-token, env: API_TOKEN, required: true, applyTo: [install] }
  - { name: kubeconfig, path: /home/nonroot/.kube/config }
parameters:
  - { name: greeting, type: string, default: hello, env: GREETING, sensitive: false, applyTo: [install, upgrade] }
  - { name: replicas, type: integer, default: 2, path: /etc/hello/replicas }
  - { name: db-password, sensitive: true, env: DB_PASSWORD }
outputs:
  - { name: message, sensitive: false, applyTo: [install] }
  - { name: report }
images:
  helper: { repository: 127.0.0.1:5000/lading/busybox, tag: "1.35" }
  pinned: { repository: 127.0.0.1:5000/lading/other, digest: "sha256:${'c'.repeat(64)}" }
customActions:
  status: { description: Shows status, modifies: false, stateless: true }
install:
  - exec:
      description: Say hello
      command: sh
      arguments: ["-c", "echo {{ bundle.parameters.greeting }} $API_TOKEN", 3]
      flags: { verbose: true, name: x, v: null, quiet: false, tag: [a, "{{bundle.credentials.api-token}}"] }
      outputs:
        - { name: message, regex: "hello .*" }
        - { name: report, path: /tmp/report.txt }
upgrade: []
uninstall:
  - exec: { command: echo, arguments: [bye] }
status:
  - exec: { command: echo, arguments: ["{{ bundle.credentials.kubeconfig }}"] }
`;

describe('parseManifest accepts', () => {
  it('the starter manifest from scaffoldManifest', () => {
    const text = scaffoldManifest({ name: 'hello', registry: '127.0.0.1:5000/demo', baseImage: '127.0.0.1:5000/lading/busybox:1.35' });
    const manifest = parseManifest(text);
    expect(manifest.name).toBe('hello');
    expect(manifest.credentials.map((c) => [c.name, c.env ?? c.path])).toEqual([
      ['api-token', 'API_TOKEN'],
      ['kubeconfig', '/home/nonroot/.kube/config'],
    ]);
    expect(manifest.parameters).toHaveLength(1);
    expect(manifest.outputs.map((o) => o.name)).toEqual(['message']);
    expect(manifest.images).toEqual({ base: { repository: '127.0.0.1:5000/lading/busybox', tag: '1.35' } });
    expect(Object.keys(manifest.actions)).toEqual(['install', 'upgrade', 'uninstall']);
    expect(text).toMatch(/^# /m);
  });

  it('a starter manifest pinned by digest, and the README beside it', () => {
    const files = scaffoldFiles({ name: 'pinned', registry: 'localhost:5000', baseImage: `localhost:5000/base@sha256:${'d'.repeat(64)}` });
    expect(parseManifest(files['lading.yaml']).images.base).toEqual({ repository: 'localhost:5000/base', digest: `sha256:${'d'.repeat(64)}` });
    expect(files['README.md']).toContain('lading build');
  });

  it('refuses scaffold options that would not parse', () => {
    expect(() => scaffoldManifest({ name: 'Bad Name', registry: 'r:5000', baseImage: 'r:5000/b:1' })).toThrow(/bundle name "Bad Name" is not valid/);
    expect(() => scaffoldManifest({ name: 'ok', registry: 'r:5000', baseImage: 'r:5000/b' })).toThrow(/base image "r:5000\/b" is not valid/);
  });

  it('every field of a full manifest', () => {
    const manifest = parseManifest(full);
    expect(bundleTag(manifest)).toBe('127.0.0.1:5000/demo/hello:v0.1.0-rc.1_build.5');
    expect(manifest.description).toBe('Says hello');
    expect(manifest.credentials[1]).toEqual({ name: 'kubeconfig', path: '/home/nonroot/.kube/config', required: false });
    expect(manifest.parameters[1]).toMatchObject({ name: 'replicas', type: 'integer', default: 2, required: false });
    expect(manifest.parameters[2]).toMatchObject({ name: 'db-password', type: 'string', sensitive: true, required: true });
    expect(manifest.customActions).toEqual({ status: { description: 'Shows status', modifies: false, stateless: true } });
    expect(manifest.actions.upgrade).toEqual([]);
    const step = manifest.actions.install[0];
    expect(step.arguments).toEqual([
      [{ kind: 'text', text: '-c' }],
      [{ kind: 'text', text: 'echo ' }, { kind: 'parameter', name: 'greeting' }, { kind: 'text', text: ' $API_TOKEN' }],
      [{ kind: 'text', text: '3' }],
    ]);
    expect(step.flags).toEqual([
      { name: 'verbose', values: [] },
      { name: 'name', values: [[{ kind: 'text', text: 'x' }]] },
      { name: 'v', values: [] },
      { name: 'tag', values: [[{ kind: 'text', text: 'a' }], [{ kind: 'credential', name: 'api-token' }]] },
    ]);
    expect(step.outputs).toEqual([
      { name: 'message', regex: 'hello .*' },
      { name: 'report', path: '/tmp/report.txt' },
    ]);
  });
});

// Each case: the manifest text and the exact message, file:line:col first.
const invalid: [string, string, string][] = [
  ['malformed YAML', `${head}install: [oops\n`, 'lading.yaml:6:1: is not valid YAML'],
  ['a duplicate key', `${head}name: again\n${install}`, 'lading.yaml:5:1: is not valid YAML (Map keys must be unique)'],
  ['an empty file', '', 'lading.yaml:1:1: is empty'],
  ['a list at the top', '- a\n', 'lading.yaml:1:1: must be a mapping with name'],
  ['an unknown top-level key', `${head}colour: red\n${install}`, 'lading.yaml:5:1: colour is not a known top-level key; use one of schemaVersion'],
  ['a bad bundle name', head.replace('name: hello', 'name: Hello_World') + install, 'lading.yaml:1:7: name must be 1-63 lower-case letters'],
  ['a version that is not semver', head.replace('0.1.0', '1.0') + install, 'lading.yaml:2:10: version must be a semantic version such as 1.2.3'],
  ['a missing registry', head.replace('registry: 127.0.0.1:5000/demo\n', '') + install, 'lading.yaml:1:1: registry is required'],
  ['a base image without tag or digest', head.replace('busybox:1.35', 'busybox') + install, 'lading.yaml:4:12: baseImage must be an image reference with a tag or digest'],
  // By the OCI grammar a first component without dot, port or localhost is a path, not a registry.
  ['a base image naming no registry', head.replace('127.0.0.1:5000/lading/busybox:1.35', 'lading/busybox:1.35') + install, 'lading.yaml:4:12: baseImage must be an image reference with a tag or digest'],
  ['a base image with mixed separators', head.replace('lading/busybox', 'lading/busy._box') + install, 'lading.yaml:4:12: baseImage must be an image reference with a tag or digest'],
  ['an image repository naming no registry', `${head}images:\n  helper: { repository: team/x, tag: "1" }\n${install}`, 'lading.yaml:6:25: images.helper.repository must be a repository such as registry.example.com/team/app'],
  ['an image repository with an empty component', `${head}images:\n  helper: { repository: r.io//x, tag: "1" }\n${install}`, 'lading.yaml:6:25: images.helper.repository must be a repository such as registry.example.com/team/app'],
  ['no install action', head, 'lading.yaml:1:1: install is required: every bundle needs install steps'],
  ['install without steps', `${head}install: []\n`, 'lading.yaml:5:10: install must have at least one step'],
  [
    'a bad credential env name',
    `${head}credentials:\n  - name: token\n    env: 1API\n${install}`,
    'lading.yaml:7:10: credentials[0].env must be a valid environment variable name',
  ],
  [
    'a reserved env name',
    `${head}credentials:\n  - { name: token, env: PATH }\n${install}`,
    'lading.yaml:6:25: credentials[0].env must not be PATH',
  ],
  [
    'a credential with neither env nor path',
    `${head}credentials:\n  - name: token\n    required: true\n${install}`,
    'lading.yaml:6:5: credentials[0] must say how the credential reaches the bundle: give env, path or both',
  ],
  [
    'a credential file under /cnab/secrets',
    `${head}credentials:\n  - { name: token, path: /cnab/secrets/token }\n${install}`,
    'lading.yaml:6:26: credentials[0].path must not be under /cnab/secrets',
  ],
  [
    'a parameter path under /cnab/app',
    `${head}parameters:\n  - { name: p, path: /cnab/app/p }\n${install}`,
    'lading.yaml:6:22: parameters[0].path must not be under /cnab/app',
  ],
  [
    'a path climbing out with ..',
    `${head}credentials:\n  - { name: token, path: /home/../cnab/secrets/x }\n${install}`,
    'lading.yaml:6:26: credentials[0].path must not contain "." or ".." segments',
  ],
  [
    'a relative path',
    `${head}credentials:\n  - { name: token, path: config }\n${install}`,
    'lading.yaml:6:26: credentials[0].path must be an absolute path',
  ],
  [
    'a misspelt credential field',
    `${head}credentials:\n  - name: token\n    enviroment: TOKEN\n${install}`,
    'lading.yaml:7:5: credentials[0].enviroment is not a known field of credentials[0]; use one of name, description, env, path, required, applyTo',
  ],
  [
    'applyTo naming an undeclared action',
    `${head}credentials:\n  - { name: token, env: TOKEN, applyTo: [install, deploy] }\n${install}`,
    'lading.yaml:6:51: credentials[0].applyTo[1] names action "deploy", which this manifest does not declare; use one of install',
  ],
  [
    'a default that does not match the type',
    `${head}parameters:\n  - name: replicas\n    type: integer\n    default: three\n    env: REPLICAS\n${install}`,
    'lading.yaml:8:14: parameters[0].default must be an integer, matching the parameter\'s type',
  ],
  [
    'a default on a sensitive parameter',
    `${head}parameters:\n  - { name: pw, env: PW, sensitive: true, default: hunter2 }\n${install}`,
    'lading.yaml:6:52: parameters[0].default is not allowed on a sensitive parameter',
  ],
  [
    'an unknown parameter type',
    `${head}parameters:\n  - { name: p, env: P, type: float }\n${install}`,
    'lading.yaml:6:30: parameters[0].type must be one of string, integer, number, boolean',
  ],
  [
    'a name used by a credential and a parameter',
    `${head}credentials:\n  - { name: token, env: A }\nparameters:\n  - { name: token, env: B }\n${install}`,
    'lading.yaml:8:5: parameters[0] reuses the name "token"',
  ],
  [
    'an env variable used twice',
    `${head}credentials:\n  - { name: a, env: TOKEN }\n  - { name: b, env: TOKEN }\n${install}`,
    'lading.yaml:7:5: credentials[1] reuses the environment variable TOKEN',
  ],
  [
    'an image with both tag and digest',
    `${head}images:\n  helper: { repository: r.io/x, tag: "1", digest: "sha256:${'a'.repeat(64)}" }\n${install}`,
    'lading.yaml:6:11: images.helper must have exactly one of tag or digest',
  ],
  [
    'an image tag written as a number',
    `${head}images:\n  helper: { repository: r.io/x, tag: 1.35 }\n${install}`,
    'lading.yaml:6:38: images.helper.tag must be a string; put it in quotes',
  ],
  [
    'a step using another mixin',
    `${head}install:\n  - helm3:\n      chart: x\n`,
    'lading.yaml:6:5: install[0].helm3 uses the helm3 mixin, which Lading does not have; Lading runs only the exec mixin',
  ],
  [
    'a step without command',
    `${head}install:\n  - exec:\n      description: nothing\n`,
    'lading.yaml:7:7: install[0].exec.command is required',
  ],
  [
    'a template in the command',
    `${head}parameters:\n  - { name: p, env: P, default: x }\ninstall:\n  - exec: { command: "{{ bundle.parameters.p }}" }\n`,
    'lading.yaml:8:22: install[0].exec.command must be a program name or path, without templates',
  ],
  [
    'a template naming an undeclared parameter',
    `${head}install:\n  - exec:\n      command: echo\n      arguments: ["{{ bundle.parameters.nope }}"]\n`,
    'lading.yaml:8:19: install[0].exec.arguments[0] refers to parameter "nope", which is not declared under parameters',
  ],
  [
    'an unknown template',
    `${head}install:\n  - exec:\n      command: echo\n      arguments: ["{{ bundle.secrets.x }}"]\n`,
    'lading.yaml:8:19: install[0].exec.arguments[0] has an unknown template "{{ bundle.secrets.x }}"',
  ],
  [
    'a template for a credential that does not apply to the action',
    `${head}credentials:\n  - { name: t, env: T, applyTo: [install] }\nupgrade:\n  - exec: { command: echo, arguments: ["{{ bundle.credentials.t }}"] }\n${install}`,
    'lading.yaml:8:40: upgrade[0].exec.arguments[0] refers to credential "t", which does not apply to action upgrade',
  ],
  [
    'a step output that is not declared',
    `${head}install:\n  - exec:\n      command: echo\n      outputs:\n        - { name: nope, regex: "x" }\n`,
    'lading.yaml:9:19: install[0].exec.outputs[0].name names output "nope", which is not declared under outputs',
  ],
  [
    'a step output with both regex and path',
    `${head}outputs:\n  - { name: o }\ninstall:\n  - exec:\n      command: echo\n      outputs:\n        - { name: o, regex: "x", path: /tmp/o }\n`,
    'lading.yaml:11:11: install[0].exec.outputs[0] must have exactly one of regex',
  ],
  [
    'an invalid regex',
    `${head}outputs:\n  - { name: o }\ninstall:\n  - exec:\n      command: echo\n      outputs:\n        - { name: o, regex: "(" }\n`,
    'lading.yaml:11:29: install[0].exec.outputs[0].regex is not a valid regular expression',
  ],
  [
    'a regex in JavaScript-only syntax',
    `${head}outputs:\n  - { name: o }\ninstall:\n  - exec:\n      command: echo\n      outputs:\n        - { name: o, regex: 'port \\d+' }\n`,
    'lading.yaml:11:29: install[0].exec.outputs[0].regex must be a POSIX extended regular expression: write [0-9] for \\d',
  ],
  [
    'a custom action without steps',
    `${head}customActions:\n  status: { modifies: false }\n${install}`,
    'lading.yaml:6:3: customActions.status has no steps; add a top-level "status:" list of steps',
  ],
  [
    'a custom action shadowing a field',
    `${head}customActions:\n  registry: {}\n${install}`,
    'lading.yaml:6:3: customActions.registry cannot be a custom action: "registry" is already a top-level field',
  ],
  [
    'a wrong schemaVersion',
    `schemaVersion: 2.0.0\n${head}${install}`,
    'lading.yaml:1:16: schemaVersion must be 1.0.0',
  ],
];

describe('parseManifest refuses', () => {
  it.each(invalid)('%s', (_name, text, expected) => {
    let error: unknown;
    try {
      parseManifest(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as Error).message.startsWith(expected), (error as Error).message).toBe(true);
    expect((error as Error).message).not.toContain('\n');
  });

  it('names the file it was given', () => {
    expect(() => parseManifest(`${head}colour: red\n${install}`, 'bundles/hello/lading.yaml')).toThrow(
      /^bundles\/hello\/lading\.yaml:5:1: colour is not a known top-level key/,
    );
  });
});

describe('parseManifest reads image references by the OCI grammar', () => {
  it.each(['Registry.Example.com/base:1.0', '[::1]:5000/lading/busybox:1.35', 'localhost/a__b/c--d:1'])('accepts the base image %s', (reference) => {
    expect(parseManifest(head.replace('127.0.0.1:5000/lading/busybox:1.35', JSON.stringify(reference)) + install).baseImage).toBe(reference);
  });

  it('takes a registry without a host as Porter does (registry: getporter), and a host alone', () => {
    for (const registry of ['getporter', 'localhost', 'Registry.Example.com:5000/team']) {
      expect(parseManifest(head.replace('127.0.0.1:5000/demo', registry) + install).registry).toBe(registry);
    }
  });
});
