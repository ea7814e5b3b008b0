/**
 * Guarantee 1, attacked: canary values planted in every source kind (built-in store, the
 * broker's environment, a file path, a command, a sensitive parameter given on the command
 * line, a literal `value` in a credential set) are used by runs that succeed, fail and get
 * killed mid-run. Afterwards each canary, plain and base64, is searched for in Docker's data
 * root, the NATS store (every stream, KV bucket and object store), every service log, the spans,
 * the records and the CLI's output. Only the store's ciphertext may hold them.
 *
 * The bundle also works against the mask: it echoes a value into a non-sensitive output, prints
 * a value in two writes and another half on stdout, half on stderr, prints its own sensitive outputs (regex- and
 * file-captured) plain and base64, and uses values the run script transforms (a file value
 * with a trailing newline or CRLF in an argument, an environment value with a NUL). Each search
 * counts what it read, so a search over nothing fails instead of passing.
 */
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackPaths } from '@lading/stack/internal';
import { freePort } from '@lading/testkit';
import { startVaultStandIn, type VaultStandIn } from '../../../libs/secrets/test/vault-stand-in.js';
import { runCli, startCli, type CliResult } from './cli-process.js';
import { createHash } from 'node:crypto';
import { leakForms, searchFiles } from './search-files.js';

const canary = (kind: string) => `${kind}-canary-${randomBytes(10).toString('hex')}`;

/** What the bundle derives from the seed as its sensitive outputs: known only once it ran, never leased. */
const seed = randomBytes(8).toString('hex');
const derived = (label: string) => `${label}-${createHash('sha256').update(`${label}${seed}`).digest('hex').slice(0, 40)}`;
const generated = { token: derived('gen'), cert: derived('crt') };

const script = [
  'echo "store=$FROM_STORE env=$FROM_ENV cmd=$FROM_COMMAND cli=$FROM_CLI value=$FROM_VALUE"',
  'cat /home/nonroot/from-path.txt; echo',
  `printf '%s' "$FROM_STORE" | base64`,
  `printf '%s' "$FROM_ENV" > /cnab/app/outputs/secret-out`,
  'case "$MODE" in fail) echo failing; exit 3;; hang) echo READY; while true; do sleep 0.1; done;; esac',
  'echo ok',
].join('; ');

// Outputs the bundle makes: a leased value in a plain output, a value split over two writes, a
// value split over stdout and stderr (the run script joins the steps' stderr to stdout, so the
// halves reach the runner in the order they were written).
const leakScript = [
  `printf '%s' "$FROM_STORE" > /cnab/app/outputs/leaky`,
  `printf '%s' "$FROM_VALUE" | head -c 12`,
  `printf '%s\\n' "$FROM_VALUE" | tail -c +13`,
  `printf '%s' "$FROM_CLI" | head -c 9`,
  `printf '%s\\n' "$FROM_CLI" | tail -c +10 >&2`,
  'echo "nul=$FROM_NUL"',
].join('; ');

// Derives the sensitive outputs from the seed and prints them, plain and base64, on both streams.
const generateScript = [
  `t=gen-$(printf '%s' "gen$SEED" | sha256sum | cut -c1-40)`,
  `c=crt-$(printf '%s' "crt$SEED" | sha256sum | cut -c1-40)`,
  'echo "token=$t"',
  `printf '%s' "$t" | base64`,
  'echo "$t" >&2',
  `printf '%s' "$c" > /tmp/cert.pem`,
  'cat /tmp/cert.pem; echo',
  `printf '%s' "$c" | base64 >&2`,
].join('; ');

// A later step prints the captured outputs again, from the outputs directory.
const laterScript = ['cat /cnab/app/outputs/gen-token', 'base64 < /cnab/app/outputs/gen-cert'].join('; ');

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
  - { name: nl-file, path: /home/nonroot/nl.txt, required: true }
  - { name: crlf-file, path: /home/nonroot/crlf.txt, required: true }
  - { name: nul-env, env: FROM_NUL, required: true }
parameters:
  - { name: from-command, type: string, env: FROM_COMMAND, sensitive: true }
  - { name: from-cli, type: string, env: FROM_CLI, sensitive: true }
  - { name: mode, type: string, default: succeed, env: MODE }
  - { name: seed, type: string, default: none, env: SEED }
  - { name: replicas, type: integer, default: 1, env: REPLICAS }
outputs:
  - { name: secret-out, sensitive: true }
  - { name: leaky }
  - { name: gen-token, sensitive: true }
  - { name: gen-cert, sensitive: true }
install:
  - exec:
      command: sh
      arguments: ["-c", ${JSON.stringify(script)}]
  - exec:
      command: sh
      arguments: ["-c", ${JSON.stringify(leakScript)}]
  - exec:
      command: printf
      arguments: ["[%s][%s]\\n", "{{ bundle.credentials.nl-file }}", "{{ bundle.credentials.crlf-file }}"]
  - exec:
      command: sh
      arguments: ["-c", ${JSON.stringify(generateScript)}]
      outputs: [{ name: gen-token, regex: "gen-[0-9a-f]{40}" }, { name: gen-cert, path: /tmp/cert.pem }]
  - exec:
      command: sh
      arguments: ["-c", ${JSON.stringify(laterScript)}]
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
    newline: canary('newline'),
    crlf: canary('crlf'),
    nul: canary('nul'),
  };
  /** Searched for as they would leak: the value, or what the shell made of it. */
  // The second half of the value the bundle splits over stdout and stderr: masked with the rest of it, it is nowhere either.
  const searched = [...Object.values(canaries), canaries.cli.slice(9), ...Object.values(generated)];
  let vault: VaultStandIn | undefined;
  let home: string;
  let work: string;
  let registry: string;
  const started = new Date();
  const outputs: CliResult[] = [];
  // The env source is resolved by the lading command, in the environment of whoever runs it.
  const personEnv = () => ({ CANARY_ENV_VALUE: canaries.env });
  const cli = async (...args: string[]) => {
    const result = await runCli(home, args, undefined, personEnv());
    outputs.push(result);
    return result;
  };
  const installArgs = (name: string, mode: string) => [
    'install', name, '--reference', `${registry}/bundles/canary:v0.1.0`,
    '--cred', 'canary-creds', '--param-set', 'canary-params', '--param', `from-cli=${canaries.cli}`, '--param', `mode=${mode}`,
    '--param', `seed=${seed}`,
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
    const up = await runCli(home, ['up', '--nats-port', ports[0], '--guard-port', ports[1], '--upstream-port', ports[2]], undefined, storeChoice);
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
          { name: 'nl-file', source: { value: `${canaries.newline}\n` } },
          { name: 'crlf-file', source: { value: `${canaries.crlf}\r\n` } },
          { name: 'nul-env', source: { value: `${canaries.nul.slice(0, 8)}\u0000${canaries.nul.slice(8)}` } },
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
    expect(result.stdout).toContain('[*******][*******]');
    expect(result.stdout).toContain('nul=*******');
    expect(result.stdout).toContain('token=*******');
    // Every line of the bundle carries the mark; the CLI's own status lines do not.
    expect(result.stderr).toMatch(/^install canary-ok: succeeded$/m);
    expect(result.stdout.split('\n').filter(Boolean).every((line) => line.startsWith('| '))).toBe(true);
  });

  it('runs a bundle that fails', async () => {
    const result = await cli(...installArgs('canary-fail', 'fail'));
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('failing');
  });

  it('runs a bundle that is killed mid-run', async () => {
    const install = startCli(home, installArgs('canary-killed', 'hang'), undefined, personEnv());
    await install.waitForOutput((stdout) => stdout.includes('READY'));
    const runId = /run ([a-z0-9]+) queued/.exec(install.stderr())?.[1];
    execFileSync('docker', ['kill', execFileSync('docker', ['ps', '-q', '--filter', `label=sh.lading.run=${runId}`]).toString().trim()]);
    const result = await install.done;
    outputs.push(result);
    expect(result.code).not.toBe(0);
  });

  it('refuses loosely written numbers, oversized values and deep documents with one sentence, storing and queuing nothing', async () => {
    const refusals: Array<[string[], RegExp, string?]> = [
      [[...installArgs('canary-bad', 'succeed'), '--param', 'replicas=  5'], /^lading: parameter replicas must be an integer such as 42 or -7, written plainly; got " {2}5"\n$/],
      [[...installArgs('canary-bad', 'succeed'), '--param', 'replicas=0x1f'], /^lading: parameter replicas must be an integer/],
      [[...installArgs('canary-bad', 'succeed'), '--param', `from-cli=${'x'.repeat(121 * 1024)}`], /^lading: parameter from-cli is 123904 bytes: a value delivered in an environment variable may be at most 120 KiB; deliver it as a file \(path\) instead\n$/],
      [['secrets', 'set', 'canary-big', '--from-stdin'], /^lading: secret canary-big is 9437184 bytes: a value may be at most 1 MiB: nothing was stored\n$/, 'x'.repeat(9 * 1024 * 1024)],
      [['credentials', 'apply', join(work, 'deep.json')], /^lading: \S+deep\.json nests objects or arrays deeper than 64 levels: nothing was applied\n$/],
    ];
    await writeFile(join(work, 'deep.json'), `{"schemaVersion":"1.0.1","name":"deep","credentials":[],"custom":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`);
    for (const [args, message, stdin] of refusals) {
      const result = await runCli(home, args, stdin, personEnv());
      expect(result.code, args.slice(0, 2).join(' ')).not.toBe(0);
      expect(result.stderr).toMatch(message);
    }
    const runs = await cli('installations', 'runs', 'canary-bad', '--output', 'json');
    expect(runs.stdout.includes('"runId"'), 'no run of canary-bad was queued').toBe(false);
    expect((await cli('secrets', 'list', '--output', 'json')).stdout).not.toContain('canary-big');
  });

  it('keeps sensitive outputs out of records and shows them masked', async () => {
    const listed = await cli('installations', 'outputs', 'canary-ok', '--output', 'json');
    const byName = Object.fromEntries((JSON.parse(listed.stdout) as Array<{ name: string }>).map((output) => [output.name, output]));
    expect(byName['secret-out']).toEqual(expect.objectContaining({ sensitive: true, value: '*******' }));
    expect(byName['gen-token']).toEqual(expect.objectContaining({ sensitive: true, value: '*******' }));
    // A plain output that carries a leased value is kept with the value masked.
    expect(byName.leaky).toEqual(expect.objectContaining({ sensitive: false, value: '*******' }));
    await cli('installations', 'logs', 'canary-ok');
    await cli('installations', 'logs', 'canary-fail');
    await cli('installations', 'runs', 'canary-killed', '--output', 'json');
  });

  it('finds no canary in the CLI output, the stack home (NATS store, logs, spans, records) or Docker', async () => {
    const forms = searched.flatMap(leakForms);
    const cliText = outputs.map((result) => result.stdout + result.stderr).join('');
    expect(cliText.length, 'the CLI printed what is searched').toBeGreaterThan(2000);
    for (const form of forms) expect(cliText).not.toContain(form);
    const inHome = await searchFiles(home, forms);
    expect(inHome.found).toEqual([]);
    // The stack home holds the NATS store, every service log and the spans: a search that read less read the wrong place.
    expect(inHome.files, 'files read under the stack home').toBeGreaterThanOrEqual(20);
    expect(inHome.bytes, 'bytes read under the stack home').toBeGreaterThanOrEqual(1024 * 1024);
    const inContainers = await searchFiles('/var/lib/docker/containers', forms, started);
    expect(inContainers.found).toEqual([]);
    const inLayers = await searchFiles('/var/lib/docker/overlay2', forms, started);
    expect(inLayers.found).toEqual([]);
    // The bundle's own image layers were written during this test, so they at least were read.
    expect(inLayers.files, 'files read in Docker layers written since the test began').toBeGreaterThanOrEqual(1);
    // By run id: other stacks on this Docker host may run bundles under the same installation names.
    const runIds = outputs.flatMap((result) => [...result.stderr.matchAll(/run ([a-z0-9]+) queued/g)].map((match) => match[1]));
    expect(runIds.length, 'runs of this test').toBeGreaterThanOrEqual(3);
    for (const runId of runIds) {
      const left = execFileSync('docker', ['ps', '-aq', '--filter', `label=sh.lading.run=${runId}`]).toString().trim();
      expect(left, `no container of run ${runId} is left behind`).toBe('');
    }
    // A run-scoped secret's name says which run had which sensitive output: it stays in the store,
    // out of every service log and span file.
    const inLogs = await searchFiles(stackPaths(home).logsDir, runIds.map((runId) => `run.${runId}.`));
    expect(inLogs.found).toEqual([]);
    expect(inLogs.files, 'log and span files read').toBeGreaterThanOrEqual(5);
  });
});
