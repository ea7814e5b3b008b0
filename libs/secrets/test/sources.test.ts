import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  resolveValue,
  runScopedSecretName,
  SecretStoreError,
  SourceError,
  splitCommandLine,
  type ResolveContext,
  type SecretStore,
} from '../src/internal.js';

const CANARY = 'canary-0c4d-source-value';
const PATH_ENV = { PATH: process.env.PATH };

/** A store in memory: the SecretStore interface is the thing under test here, not a backend. */
class MapStore implements SecretStore {
  readonly values = new Map<string, Buffer>();
  async get(name: string) {
    if (name === 'broken') throw new SecretStoreError('Vault refused access to broken: check the token/policy');
    return this.values.get(name);
  }
  async set(name: string, value: Buffer) {
    this.values.set(name, value);
  }
  async delete(name: string) {
    this.values.delete(name);
  }
  async list() {
    return [...this.values.keys()];
  }
}

let dir: string;
const store = new MapStore();
const ctx = (over: Partial<ResolveContext> = {}): ResolveContext => ({
  setLabel: 'credential set "prod"',
  entryName: 'token',
  env: PATH_ENV,
  store,
  ...over,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lading-secrets-sources-'));
  await writeFile(join(dir, 'value.txt'), CANARY);
  await writeFile(join(dir, 'big.txt'), Buffer.alloc(1024 * 1024 + 1, CANARY));
  await mkdir(join(dir, 'a-dir'));
  await store.set('deploy_token', Buffer.from(CANARY));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('resolveValue', () => {
  it('resolves each source kind', async () => {
    expect((await resolveValue({ value: CANARY }, ctx())).toString()).toBe(CANARY);
    expect((await resolveValue({ env: 'TOKEN' }, ctx({ env: { TOKEN: CANARY } }))).toString()).toBe(CANARY);
    expect((await resolveValue({ path: join(dir, 'value.txt') }, ctx())).toString()).toBe(CANARY);
    expect((await resolveValue({ path: '~/value.txt' }, ctx({ env: { HOME: dir } }))).toString()).toBe(CANARY);
    expect((await resolveValue({ secret: 'deploy_token' }, ctx())).toString()).toBe(CANARY);
    expect((await resolveValue({ command: `printf '%s\\n' ${CANARY}` }, ctx())).toString()).toBe(CANARY);
  });

  it('reads env from the context only, never process.env implicitly', async () => {
    process.env.LADING_TEST_ONLY_IN_PROCESS = CANARY;
    try {
      await expect(resolveValue({ env: 'LADING_TEST_ONLY_IN_PROCESS' }, ctx({ env: {} }))).rejects.toThrow(
        'Cannot resolve "token" of credential set "prod" from its env source: environment variable LADING_TEST_ONLY_IN_PROCESS is not set',
      );
    } finally {
      delete process.env.LADING_TEST_ONLY_IN_PROCESS;
    }
  });

  it('runs the command as an argument vector: shell syntax stays literal', async () => {
    const marker = join(dir, 'injected');
    const out = await resolveValue({ command: `printf %s "$(touch ${marker})" '; touch ${marker}' && rm -rf /` }, ctx());
    expect(out.toString()).toBe(`$(touch ${marker}); touch ${marker}&&rm-rf/`);
    await expect(access(marker)).rejects.toThrow();
    const sh = await resolveValue({ command: `echo "sh -c 'touch ${marker}'"` }, ctx());
    expect(sh.toString()).toBe(`sh -c 'touch ${marker}'`);
    await expect(access(marker)).rejects.toThrow();
  });

  it('splits argv honouring simple quotes, without expansion', () => {
    expect(splitCommandLine(`vault kv get -field="the value" 'a b' c\\ d $HOME *`)).toEqual([
      'vault',
      'kv',
      'get',
      '-field=the value',
      'a b',
      'c d',
      '$HOME',
      '*',
    ]);
    expect(() => splitCommandLine(`echo "open`)).toThrow(/unterminated double quote/);
    expect(() => splitCommandLine('   ')).toThrow(/empty/);
  });

  it('fails a command on a non-zero exit, naming the exit code but not its output', async () => {
    const error = await resolveValue({ command: `sh -c 'echo ${CANARY}; echo ${CANARY} >&2; exit 3'` }, ctx()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toBe('Cannot resolve "token" of credential set "prod" from its command source: command sh exited with code 3');
  });

  it('kills a command that outlives its timeout, with the processes it started', async () => {
    const error = await resolveValue(
      { command: `sh -c 'echo ${CANARY}; sleep 600 & sleep 600'` },
      ctx({ commandTimeoutMs: 300 }),
    ).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'Cannot resolve "token" of credential set "prod" from its command source: command sh did not finish within 300 ms and was killed',
    );
  });

  it('refuses a directory, a missing file and a file over 1 MiB', async () => {
    await expect(resolveValue({ path: join(dir, 'a-dir') }, ctx())).rejects.toThrow(/is a directory, not a file/);
    await expect(resolveValue({ path: join(dir, 'nope') }, ctx())).rejects.toThrow(/does not exist/);
    await expect(resolveValue({ path: join(dir, 'big.txt') }, ctx())).rejects.toThrow(/larger than 1048576 bytes/);
  });

  it('refuses an unknown, empty or ambiguous source kind clearly', async () => {
    await expect(resolveValue({ vaultz: CANARY }, ctx())).rejects.toThrow(
      'Cannot resolve "token" of credential set "prod" from its vaultz source: source kind "vaultz" is not supported: use secret, env, path, command, value',
    );
    await expect(resolveValue({}, ctx())).rejects.toThrow(/needs exactly one of/);
    await expect(resolveValue({ value: CANARY, env: 'X' }, ctx())).rejects.toThrow(/found 2 keys/);
  });

  it('never puts the value in an error message or stack', async () => {
    const failing: [Record<string, unknown>, Partial<ResolveContext>][] = [
      [{ command: `sh -c 'echo ${CANARY}; echo ${CANARY} >&2; exit 1'` }, {}],
      [{ command: `sh -c 'echo ${CANARY}; exec sleep 600'` }, { commandTimeoutMs: 200 }],
      [{ command: `sh -c 'head -c 2000000 /dev/zero | tr "\\0" x; echo ${CANARY}'` }, {}],
      [{ command: `no-such-program-b1 ${CANARY}` }, {}],
      [{ command: `"${CANARY}` }, {}],
      [{ path: join(dir, 'big.txt') }, {}],
      [{ path: join(dir, 'a-dir') }, {}],
      [{ env: 'UNSET' }, { env: {} }],
      [{ secret: 'absent' }, {}],
      [{ secret: 'broken' }, {}],
      [{ secret: 'deploy_token' }, { store: undefined }],
      [{ unknown: CANARY }, {}],
      [{ value: CANARY, env: CANARY }, {}],
      [{ value: 42 }, {}],
    ];
    for (const [source, over] of failing) {
      const error = (await resolveValue(source, ctx(over)).catch((e: unknown) => e)) as Error;
      expect(error, JSON.stringify(source)).toBeInstanceOf(SourceError);
      const everything = `${error.message}\n${error.stack}\n${JSON.stringify(error)}\n${String(error.cause ?? '')}`;
      expect(everything, JSON.stringify(source)).not.toContain(CANARY);
      expect(everything).not.toContain(Buffer.from(CANARY).toString('base64'));
    }
  });
});

describe('runScopedSecretName', () => {
  it('gives a deterministic safe name and refuses unsafe parts', () => {
    expect(runScopedSecretName('01J9ZK', 'output', 'kubeconfig')).toBe('run.01J9ZK.output.kubeconfig');
    expect(runScopedSecretName('r-1', 'param', 'db_password')).toBe('run.r-1.param.db_password');
    expect(() => runScopedSecretName('../x', 'param', 'a')).toThrow(/Run id/);
    expect(() => runScopedSecretName('r1', 'param', '.hidden')).toThrow(/not allowed/);
    expect(() => runScopedSecretName('r1', 'param', '../a')).toThrow(/must not contain/);
    expect(() => runScopedSecretName('r1', 'output', 'a/b')).toThrow(/must not contain "\/"/);
  });
});
