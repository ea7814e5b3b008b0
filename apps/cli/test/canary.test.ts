/**
 * Guarantee 1, attacked: canary values planted in every source kind (built-in store, the
 * broker's environment, a file path, a command, a sensitive parameter given on the command
 * line, a literal `value` in a credential set) are used by runs that succeed, fail and get
 * killed mid-run. Afterwards each canary, plain and base64, is searched for in Docker's data
 * root, the NATS store (every stream, KV bucket and object store), every service log, the spans,
 * the records and the CLI's output. Only the store's ciphertext may hold them.
 */
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@lading/testkit';
import { startVaultStandIn, type VaultStandIn } from '../../../libs/secrets/test/vault-stand-in.js';
import { runCli, startCli, type CliResult } from './cli-process.js';
import { filesContaining, leakForms } from './search-files.js';

const canary = (kind: string) => `${kind}-canary-${randomBytes(10).toString('hex')}`;

const script = [
  'echo "store=$FROM_STORE env=$FROM_ENV cmd=$FROM_COMMAND cli=$FROM_CLI value=$FROM_VALUE"',
  'cat /home/nonroot/from-path.txt; echo',
  `printf '%s' "$FROM_STORE" | base64`,
  `printf '%s' "$FROM_ENV" > /cnab/app/outputs/secret-out`,
  'case "$MODE" in fail) echo failing; exit 3;; hang) echo READY; while true; do sleep 0.1; done;; esac',
  'echo ok',
].join('; ');

function manifest(registry: string): string {
  return `schemaVersion: 1.0.0
name: canary
version: 0.1.0
registry: ${registry}/bundles
baseImage: ${registry}/lading/busybox:stable
credentials:
  - { name: from-store, env: FROM_STORE, required: true }
  - { name: from-env, env: FROM_ENV, required: true }
  - { name: from-path, path: /home/nonroot/from-path.txt, required: true }
  - { name: from-value, env: FROM_VALUE, required: true }
parameters:
  - { name: from-command, type: string, env: FROM_COMMAND, sensitive: true }
  - { name: from-cli, type: string, env: FROM_CLI, sensitive: true }
  - { name: mode, type: string, default: succeed, env: MODE }
outputs:
  - { name: secret-out, sensitive: true }
install:
  - exec:
      command: sh
      arguments: ["-c", ${JSON.stringify(script)}]
`;
}

/**
 * Both stores: the built-in encrypted store, and Vault (the broker speaks Vault's KV v2 API with
 * node-vault; here it talks to a local stand-in of that API, as no Vault server can run here).
 */
// Runs that succeed, fail and are killed, then the search of everything they left: the search stays last when the rest is shuffled.
for (const store of ['builtin', 'vault'] as const) describe(`with the ${store} store, canary values from every source are found nowhere they must not be`, { shuffle: false }, () => {
  const canaries = {
    store: canary('store'),
    env: canary('env'),
    path: canary('path'),
    command: canary('command'),
    cli: canary('cli'),
    value: canary('value'),
  };
  let vault: VaultStandIn | undefined;
  let home: string;
  let work: string;
  let registry: string;
  const started = new Date();
  const outputs: CliResult[] = [];
  const cli = async (...args: string[]) => {
    const result = await runCli(home, args);
    outputs.push(result);
    return result;
  };
  const installArgs = (name: string, mode: string) => [
    'install', name, '--reference', `${registry}/bundles/canary:v0.1.0`,
    '--cred', 'canary-creds', '--param-set', 'canary-params', '--param', `from-cli=${canaries.cli}`, '--param', `mode=${mode}`,
  ];

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'lading-canary-home-'));
    work = await mkdtemp(join(tmpdir(), 'lading-canary-work-'));
    const ports = [await freePort(), await freePort(), await freePort()].map(String);
    const storeChoice: NodeJS.ProcessEnv = {};
    if (store === 'vault') {
      vault = await startVaultStandIn({ tokens: { 'lading-broker-token': 'write' } });
      await writeFile(join(work, 'vault-token'), 'lading-broker-token', { mode: 0o600 });
      Object.assign(storeChoice, { LADING_SECRET_STORE: 'vault', LADING_VAULT_ADDR: vault.url, LADING_VAULT_TOKEN_FILE: join(work, 'vault-token') });
    }
    const up = await runCli(home, ['up', '--nats-port', ports[0], '--guard-port', ports[1], '--upstream-port', ports[2]], undefined, {
      CANARY_ENV_VALUE: canaries.env,
      ...storeChoice,
    });
    expect(up.code, up.stderr).toBe(0);
    registry = `127.0.0.1:${ports[1]}`;

    const dir = join(work, 'bundle');
    await mkdir(dir);
    await writeFile(join(dir, 'lading.yaml'), manifest(registry));
    expect((await cli('build', '--dir', dir)).code).toBe(0);
    expect((await cli('publish', '--dir', dir)).code).toBe(0);

    const stored = await runCli(home, ['secrets', 'set', 'canary-store', '--from-stdin'], canaries.store);
    expect(stored.code, stored.stderr).toBe(0);
    outputs.push(stored);
    await writeFile(join(work, 'path-value'), canaries.path);
    await writeFile(join(work, 'command-value'), canaries.command);
    await writeFile(
      join(work, 'creds.json'),
      JSON.stringify({
        schemaVersion: '1.0.1',
        name: 'canary-creds',
        credentials: [
          { name: 'from-store', source: { secret: 'canary-store' } },
          { name: 'from-env', source: { env: 'CANARY_ENV_VALUE' } },
          { name: 'from-path', source: { path: join(work, 'path-value') } },
          { name: 'from-value', source: { value: canaries.value } },
        ],
      }),
    );
    await writeFile(
      join(work, 'params.json'),
      JSON.stringify({
        schemaVersion: '1.0.1',
        name: 'canary-params',
        parameters: [{ name: 'from-command', source: { command: `cat ${join(work, 'command-value')}` } }],
      }),
    );
    expect((await cli('credentials', 'apply', join(work, 'creds.json'))).code).toBe(0);
    expect((await cli('parameters', 'apply', join(work, 'params.json'))).code).toBe(0);
  });

  afterAll(async () => {
    await runCli(home, ['down']);
    await vault?.stop();
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('runs a bundle that succeeds, with every value masked in its output', async () => {
    const result = await cli(...installArgs('canary-ok', 'succeed'));
    expect(result.code, result.stderr).toBe(0);
    if (vault) expect(vault.stored('', 'secret', 'canary-store'), 'the secret lives in Vault').toBeDefined();
    expect(result.stdout).toContain('store=******* env=******* cmd=******* cli=******* value=*******');
    expect(result.stdout).toContain('ok');
  });

  it('runs a bundle that fails', async () => {
    const result = await cli(...installArgs('canary-fail', 'fail'));
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('failing');
  });

  it('runs a bundle that is killed mid-run', async () => {
    const install = startCli(home, installArgs('canary-killed', 'hang'));
    await install.waitForOutput((stdout) => stdout.includes('READY'));
    const runId = /run ([a-z0-9]+) queued/.exec(install.stderr())?.[1];
    execFileSync('docker', ['kill', execFileSync('docker', ['ps', '-q', '--filter', `label=sh.lading.run=${runId}`]).toString().trim()]);
    const result = await install.done;
    outputs.push(result);
    expect(result.code).not.toBe(0);
  });

  it('keeps sensitive outputs out of records and shows them masked', async () => {
    const listed = await cli('installations', 'outputs', 'canary-ok', '--output', 'json');
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: 'secret-out', sensitive: true, value: '*******' })]);
    await cli('installations', 'logs', 'canary-ok');
    await cli('installations', 'logs', 'canary-fail');
    await cli('installations', 'runs', 'canary-killed', '--output', 'json');
  });

  it('finds no canary in the CLI output, the stack home (NATS store, logs, spans, records) or Docker', async () => {
    const forms = Object.values(canaries).flatMap(leakForms);
    for (const result of outputs) for (const form of forms) expect(result.stdout + result.stderr).not.toContain(form);
    expect(await filesContaining(home, forms)).toEqual([]);
    expect(await filesContaining('/var/lib/docker/containers', forms, started)).toEqual([]);
    expect(await filesContaining('/var/lib/docker/overlay2', forms, started)).toEqual([]);
    for (const installation of ['canary-ok', 'canary-fail', 'canary-killed']) {
      const left = execFileSync('docker', ['ps', '-aq', '--filter', `label=sh.lading.installation=${installation}`]).toString().trim();
      expect(left, `no container of ${installation} is left behind`).toBe('');
    }
  });
});
