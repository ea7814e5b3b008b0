import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleNeeds } from '@lading/cnab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busybox, busyboxOnlyPath } from './run-harness.js';
import { encodeRunInput, parseManifest, parseOutputFrame, renderRunScript, toBundleJson, type Manifest, type ResolvedImages } from '../src/internal.js';

// CNAB: an empty applyTo means every action. The runner (bundleNeeds, from bundle.json) and the
// run script (from the manifest) must agree on it, or an output the runner waits for is never
// sent, or a credential the runner leases is delivered to no step.
const nonce = 'a5'.repeat(16);
const digest = (c: string): string => `sha256:${c.repeat(64)}`;
const resolved: ResolvedImages = {
  baseImage: { reference: `127.0.0.1:5000/lading/busybox@${digest('b')}`, digest: digest('b') },
  images: {},
  invocationImage: { reference: `127.0.0.1:5000/t/every@${digest('a')}`, digest: digest('a'), mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1 },
};

const porterYaml = `schemaVersion: 1.0.1
name: every
version: 1.0.0
registry: 127.0.0.1:5000/t
mixins: [exec]
credentials:
  - { name: token, env: TOKEN, applyTo: [] }
outputs:
  - { name: note, applyTo: [] }
install:
  - exec: { command: sh, arguments: ["-c", "printf %s-$TOKEN install > $LADING_OUTPUTS_DIR/note"] }
upgrade:
  - exec: { command: sh, arguments: ["-c", "printf %s-$TOKEN upgrade > $LADING_OUTPUTS_DIR/note"] }
customActions:
  probe: {}
probe:
  - exec: { command: sh, arguments: ["-c", "printf %s-$TOKEN probe > $LADING_OUTPUTS_DIR/note"] }
`;

let root: string;
let bin: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lading-apply-to-'));
  bin = busyboxOnlyPath(root);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the manifest's run script for one action and returns the outputs it framed. */
function outputsOf(manifest: Manifest, action: string, env: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(root, 'run-'));
  const outputs = join(dir, 'outputs');
  mkdirSync(outputs);
  const script = join(dir, 'run');
  writeFileSync(script, renderRunScript(manifest));
  const result = spawnSync(busybox, ['sh', script], {
    cwd: dir,
    input: encodeRunInput({ env, nonce, action }),
    encoding: 'utf8',
    env: { PATH: bin, HOME: dir, LADING_OUTPUTS_DIR: outputs, LADING_SECRETS_DIR: join(dir, 'secrets') },
  });
  expect(result.status, result.stderr).toBe(0);
  const frames = result.stdout.split('\n').flatMap((line) => parseOutputFrame(line, nonce) ?? []);
  return Object.fromEntries(frames.map((frame) => [frame.name, frame.value.toString('utf8')]));
}

describe('an empty applyTo', () => {
  const actions = ['install', 'upgrade', 'probe'];

  it.each(actions)('in porter.yaml applies to %s in bundle.json and in the run script alike', (action) => {
    const manifest = parseManifest(porterYaml, 'porter.yaml');
    const needs = bundleNeeds(toBundleJson(manifest, resolved), action);
    expect(needs.credentials.map((c) => c.name)).toEqual(['token']);
    expect(needs.outputs.map((o) => o.name)).toEqual(['note']);
    expect(outputsOf(manifest, action, { TOKEN: 'tok' })).toEqual({ note: `${action}-tok` });
  });

  it.each(actions)('handed to the renderer as [] still applies to %s, as the runner reads it', (action) => {
    const parsed = parseManifest(porterYaml, 'porter.yaml');
    const manifest: Manifest = {
      ...parsed,
      credentials: parsed.credentials.map((c) => ({ ...c, applyTo: [] })),
      outputs: parsed.outputs.map((o) => ({ ...o, applyTo: [] })),
    };
    const bundle = toBundleJson(manifest, resolved);
    expect(bundle.outputs?.note?.applyTo).toEqual([]);
    expect(bundleNeeds(bundle, action).outputs.map((o) => o.name)).toEqual(['note']);
    expect(outputsOf(manifest, action, { TOKEN: 'tok' })).toEqual({ note: `${action}-tok` });
  });

  it('is refused in lading.yaml, which asks for the action list to be left out instead', () => {
    const text = `name: every\nversion: 1.0.0\nregistry: 127.0.0.1:5000/t\noutputs:\n  - { name: note, applyTo: [] }\ninstall:\n  - exec: { command: echo }\n`;
    expect(() => parseManifest(text)).toThrow('lading.yaml:5:28: outputs[0].applyTo must name at least one action, or be left out to mean every action');
  });
});
