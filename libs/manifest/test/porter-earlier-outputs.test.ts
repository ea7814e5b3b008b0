/**
 * `${ bundle.outputs.X }` where the action itself does not write X: the reader generates Porter's
 * `porter-X-output` parameter, sourced from output X, and the step reads that parameter.
 */
import { describe, expect, it } from 'vitest';
import { PARAMETER_SOURCES_EXTENSION } from '@lading/cnab';
import { parseManifest, renderRunScript, toBundleJson } from '../src/index.js';
import { problems } from './manifest-problems.js';

const digest = `sha256:${'a'.repeat(64)}`;
const resolved = {
  baseImage: { reference: `127.0.0.1:5000/lading/debian@${digest}`, digest },
  images: {},
  invocationImage: { reference: `127.0.0.1:5000/earlier/app@${digest}`, digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1 },
};

const porter = (outputs: string, extra = ''): string => `schemaVersion: 1.2.0
name: earlier
version: 0.1.0
registry: localhost:5000
mixins: [exec]
${extra}outputs:
${outputs}
install:
  - exec:
      command: echo
      outputs: [{ name: token, regex: "t=(.*)" }]
upgrade:
  - exec: { command: echo, arguments: ["\${ bundle.outputs.token }"] }
uninstall:
  - exec: { command: echo, arguments: ["bye \${ bundle.outputs.token }"] }
`;


describe('an output of an earlier run in a template', () => {
  it('generates porter-X-output, sourced from X, applying to the actions that read it', () => {
    const manifest = parseManifest(porter('  - { name: token, applyTo: [install] }'), 'porter.yaml');
    expect(manifest.parameters).toEqual([
      expect.objectContaining({ name: 'porter-token-output', env: 'PORTER_TOKEN_OUTPUT', type: 'string', sensitive: false, required: false, applyTo: ['uninstall', 'upgrade'], source: { output: 'token' } }),
    ]);
    expect(manifest.actions.uninstall?.[0]?.arguments[0]).toEqual([{ kind: 'text', text: 'bye ' }, { kind: 'parameter', name: 'porter-token-output' }]);
    const bundle = toBundleJson(manifest, resolved);
    expect(bundle.parameters?.['porter-token-output']).toMatchObject({ destination: { env: 'PORTER_TOKEN_OUTPUT' }, required: false, applyTo: ['uninstall', 'upgrade'] });
    expect((bundle.custom?.[PARAMETER_SOURCES_EXTENSION] as Record<string, unknown>)['porter-token-output']).toEqual({ priority: ['output'], sources: { output: { name: 'token' } } });
  });

  it('renders the step from the parameter, not from the outputs the run writes', () => {
    const manifest = parseManifest(porter('  - { name: token, applyTo: [install] }'), 'porter.yaml');
    const script = renderRunScript(manifest);
    expect(script).toContain(`'bye '"$PORTER_TOKEN_OUTPUT"`);
  });

  it('copies the output\'s type and JSON-Schema keywords, as Porter copies its definition', () => {
    const manifest = parseManifest(porter('  - { name: token, type: string, pattern: "^t", applyTo: [install] }'), 'porter.yaml');
    const bundle = toBundleJson(manifest, resolved);
    expect(bundle.definitions?.[String(bundle.parameters?.['porter-token-output']?.definition)]).toMatchObject({ type: 'string', pattern: '^t' });
  });

  it('is as sensitive as the output, so the value is masked and kept out of records', () => {
    const manifest = parseManifest(porter('  - { name: token, sensitive: true, applyTo: [install] }'), 'porter.yaml');
    expect(manifest.parameters.find((p) => p.name === 'porter-token-output')?.sensitive).toBe(true);
    const bundle = toBundleJson(manifest, resolved);
    expect(bundle.definitions?.[String(bundle.parameters?.['porter-token-output']?.definition)]).toMatchObject({ type: 'string', writeOnly: true });
  });

  it('generates nothing for an output the same action captures or that applies to it', () => {
    const manifest = parseManifest(porter('  - { name: token }'), 'porter.yaml');
    expect(manifest.parameters).toEqual([]);
    expect(manifest.actions.uninstall?.[0]?.arguments[0]).toContainEqual({ kind: 'output', name: 'token' });
  });

  it('refuses a parameter of the generated name, in one sentence, and builds nothing', () => {
    const clash = '  - { name: porter-token-output, type: string, default: x }\n';
    expect(problems(porter('  - { name: token, applyTo: [install] }', `parameters:\n${clash}`))).toEqual([
      expect.stringMatching(/^porter\.yaml:7:5: parameters\[0\] clashes with porter-token-output \(variable PORTER_TOKEN_OUTPUT\), the parameter that carries output "token" into uninstall, upgrade; rename the parameter$/),
    ]);
  });

  it('refuses a parameter that takes the generated variable', () => {
    const clash = '  - { name: other, type: string, env: PORTER_TOKEN_OUTPUT, default: x }\n';
    expect(problems(porter('  - { name: token, applyTo: [install] }', `parameters:\n${clash}`))).toEqual([expect.stringMatching(/parameters\[0\] clashes with porter-token-output/)]);
  });

  it('still refuses an output nobody declares, in one sentence', () => {
    const text = porter('  - { name: token, applyTo: [install] }').replace('bye ${ bundle.outputs.token }', '${ bundle.outputs.nothing }');
    expect(problems(text)).toEqual([
      expect.stringMatching(/uninstall\[0\]\.exec\.arguments\[0\] refers to output "nothing", which no step of uninstall captures and the manifest does not declare under outputs$/),
    ]);
  });
});
