/**
 * Guarantee 1 for what a porter.yaml installation remembers: a bundle derives a token at install
 * and keeps it as a sensitive output and in a state file; upgrade and uninstall get it back
 * through a plain (not sensitive) parameter wired to that output and through the restored state
 * file. The token is then searched for, plain and base64, in the CLI's output, the stack home
 * (NATS store, records, service logs, spans) and Docker: only the secret store's ciphertext may
 * hold it. Each search counts what it read, so a search over nothing fails instead of passing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingCli, runCli, upOnFreePorts } from './cli-process.js';
import { expectFoundNowhere } from './leak-check.js';

const seed = randomBytes(8).toString('hex');
/** What the bundle derives from the seed: known to it only once it ran, never given to it. */
const token = `tok-${createHash('sha256').update(seed).digest('hex').slice(0, 40)}`;

const porterYaml = (registry: string) => `schemaVersion: 1.0.1
name: memory-canary
version: 0.1.0
registry: ${registry}/bundles
baseImage: ${registry}/lading/busybox:stable
mixins: [exec]
parameters:
  - { name: seed, type: string, default: none }
  - { name: token, type: string, source: { output: token } }
outputs:
  - { name: token, sensitive: true, path: /cnab/app/token.txt }
state:
  - { name: vault, path: vault.txt }
install:
  - exec: { command: ./memory.sh, arguments: [install] }
upgrade:
  - exec: { command: ./memory.sh, arguments: [upgrade] }
uninstall:
  - exec: { command: ./memory.sh, arguments: [uninstall] }
`;

const script = `#!/bin/sh
set -e
derived="tok-$(printf '%s' "$SEED" | sha256sum | cut -c1-40)"
case "$1" in
  install) printf '%s' "$derived" > /cnab/app/token.txt; printf '%s' "$derived" > /cnab/app/vault.txt ;;
  *)
    echo "token=$TOKEN state=$(cat /cnab/app/vault.txt)"
    printf '%s' "$TOKEN" | base64
    [ "$TOKEN" = "$derived" ] && [ "$(cat /cnab/app/vault.txt)" = "$derived" ] && echo "wired=yes"
    ;;
esac
`;

describe('a sensitive output handed to a parameter and kept in a state file is found nowhere it must not be', { shuffle: false }, () => {
  let home: string;
  let work: string;
  const started = new Date();
  const { cli, results: outputs } = recordingCli(() => home);

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'lading-memory-home-'));
    work = await mkdtemp(join(tmpdir(), 'lading-memory-work-'));
    const registry = await upOnFreePorts(home);
    const dir = join(work, 'bundle');
    await mkdir(dir);
    await writeFile(join(dir, 'porter.yaml'), porterYaml(registry));
    await writeFile(join(dir, 'memory.sh'), script);
    await chmod(join(dir, 'memory.sh'), 0o755);
    const built = await cli('build', '--dir', dir);
    expect(built.code, built.stderr).toBe(0);
    expect((await cli('publish', '--dir', dir)).code).toBe(0);
  });

  afterAll(async () => {
    await runCli(home, ['down']);
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('installs, deriving the token', async () => {
    const reference = /reference (\S+)/.exec(outputs[1]?.stdout ?? '')?.[1];
    const install = await cli('install', 'memory', '--reference', String(reference), '--param', `seed=${seed}`);
    expect(install.code, install.stderr).toBe(0);
  });

  // One test an action: each takes a while on a loaded machine.
  it.for(['upgrade', 'uninstall'])('%s gets the token back through the parameter and the state file, masked in every line', async (action) => {
    const result = await cli(action, 'memory');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('wired=yes');
    expect(result.stdout).toMatch(/token=\*+ state=\*+/);
  });

  it('lists the output and the state as sensitive, with no value', async () => {
    const listed = await cli('installations', 'outputs', 'memory', '--output', 'json');
    const byName = Object.fromEntries((JSON.parse(listed.stdout) as Array<{ name: string }>).map((output) => [output.name, output]));
    expect(byName.token).toMatchObject({ sensitive: true, value: '*******' });
    expect(byName['porter-state']).toMatchObject({ sensitive: true, value: '*******' });
    await cli('installations', 'logs', 'memory');
  });

  it('finds the token in no CLI output, stack file or Docker layer', async () => {
    const cliText = outputs.map((result) => result.stdout + result.stderr).join('');
    expect(cliText).toContain('wired=yes');
    await expectFoundNowhere(token, { cliText, home, since: started });
  });
});
