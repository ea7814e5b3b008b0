import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretStoreError, VaultStore } from '../src/internal.js';
import { startVaultStandIn, type VaultStandIn } from './vault-stand-in.js';

const ROOT = 'root-token-for-tests';
const READER = 'read-only-token';
const CANARY = 'canary-51b0-vault-value';

let vault: VaultStandIn;
beforeAll(async () => {
  vault = await startVaultStandIn({
    tokens: { [ROOT]: 'write', [READER]: 'read' },
    appRoles: [{ roleId: 'role-1', secretId: 'secret-1' }],
  });
});
afterAll(async () => {
  await vault?.stop();
});

// Each test removes what it wrote and reads only the requests it made: they run in any order.
describe('VaultStore against the Vault stand-in', () => {
  it('writes, reads, lists and deletes with a token, using KV v2 paths', async () => {
    const store = new VaultStore({ endpoint: vault.url, auth: { token: ROOT } });
    const before = vault.requests.length;
    await store.set('app/db-password', Buffer.from(CANARY));
    await store.set('top', Buffer.from('x'));
    expect(vault.stored('', 'secret', 'app/db-password')).toEqual({ value: CANARY });
    expect((await store.get('app/db-password'))?.toString()).toBe(CANARY);
    expect(await store.list()).toEqual(['app/db-password', 'top']);
    await store.delete('app/db-password');
    expect(await store.get('app/db-password')).toBeUndefined();
    await store.delete('top');
    expect(await store.list()).toEqual([]);
    const requests = vault.requests.slice(before);
    const paths = requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toContain('POST /v1/secret/data/app/db-password');
    expect(paths).toContain('GET /v1/secret/data/app/db-password');
    expect(paths).toContain('DELETE /v1/secret/metadata/app/db-password');
    expect(paths).toContain('GET /v1/secret/metadata/');
    expect(requests.every((r) => r.token === ROOT)).toBe(true);
  });

  it('uses the configured field and round-trips bytes that are not UTF-8', async () => {
    const store = new VaultStore({ endpoint: vault.url, auth: { token: ROOT }, field: 'password' });
    const binary = Buffer.from([0xff, 0x00, 0xfe, 0x80]);
    await store.set('binary', binary);
    expect(vault.stored('', 'secret', 'binary')).toEqual({ password: binary.toString('base64'), password_encoding: 'base64' });
    expect((await store.get('binary'))?.equals(binary)).toBe(true);
    await store.delete('binary');
  });

  it('sends the namespace header and keeps namespaces apart', async () => {
    const inTeam = new VaultStore({ endpoint: vault.url, auth: { token: ROOT }, namespace: 'team-a' });
    const inRoot = new VaultStore({ endpoint: vault.url, auth: { token: ROOT } });
    const before = vault.requests.length;
    await inTeam.set('ns-secret', Buffer.from(CANARY));
    expect(vault.requests.slice(before).every((r) => r.namespace === 'team-a')).toBe(true);
    expect((await inTeam.get('ns-secret'))?.toString()).toBe(CANARY);
    expect(await inRoot.get('ns-secret')).toBeUndefined();
    await inTeam.delete('ns-secret');
  });

  it('returns undefined for a missing secret (404)', async () => {
    const store = new VaultStore({ endpoint: vault.url, auth: { token: ROOT } });
    expect(await store.get('missing')).toBeUndefined();
  });

  it('explains a 403 for a wrong token and for a read-only token writing', async () => {
    const wrong = new VaultStore({ endpoint: vault.url, auth: { token: 'wrong' } });
    await expect(wrong.get('anything')).rejects.toThrow(new SecretStoreError('Vault refused access to anything: check the token/policy'));
    const reader = new VaultStore({ endpoint: vault.url, auth: { token: READER } });
    const error = (await reader.set('guarded', Buffer.from(CANARY)).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('Vault refused access to guarded: check the token/policy');
    expect(`${error.message}\n${error.stack}\n${JSON.stringify(error)}`).not.toContain(CANARY);
    expect(error.cause).toBeUndefined();
    expect(vault.stored('', 'secret', 'guarded')).toBeUndefined();
  });

  it('says the Vault is sealed on 503', async () => {
    const store = new VaultStore({ endpoint: vault.url, auth: { token: ROOT } });
    vault.seal();
    try {
      await expect(store.get('anything')).rejects.toThrow(`Vault at ${vault.url} is sealed`);
      await expect(store.set('anything', Buffer.from(CANARY))).rejects.toThrow(`Vault at ${vault.url} is sealed`);
    } finally {
      vault.unseal();
    }
    expect(vault.stored('', 'secret', 'anything')).toBeUndefined();
  });

  it('logs in with AppRole and logs in again once the token expires', async () => {
    const store = new VaultStore({ endpoint: vault.url, auth: { appRole: { roleId: 'role-1', secretId: 'secret-1' } } });
    const before = vault.requests.length;
    await store.set('approle-secret', Buffer.from(CANARY));
    expect((await store.get('approle-secret'))?.toString()).toBe(CANARY);
    const logins = () => vault.requests.slice(before).filter((r) => r.path === '/v1/auth/approle/login').length;
    expect(logins()).toBe(1);
    vault.expireIssuedTokens();
    expect((await store.get('approle-secret'))?.toString()).toBe(CANARY);
    expect(logins()).toBe(2);
    const tokens = new Set(vault.requests.slice(before).filter((r) => r.path.includes('/data/')).map((r) => r.token));
    // The first token (refused once expired), then the one from the second login.
    expect(tokens.size).toBe(2);
    await store.delete('approle-secret');
  });

  it('explains a failed AppRole login', async () => {
    const store = new VaultStore({ endpoint: vault.url, auth: { appRole: { roleId: 'role-1', secretId: 'wrong' } } });
    await expect(store.get('x')).rejects.toThrow('Vault AppRole login at auth/approle/login failed (HTTP 400): check the roleId and secretId');
  });

  it('explains an unreachable endpoint', async () => {
    const stopped = await startVaultStandIn();
    const url = stopped.url;
    await stopped.stop();
    const store = new VaultStore({ endpoint: url, auth: { token: ROOT } });
    await expect(store.get('x')).rejects.toThrow(`Vault at ${url} cannot be reached (ECONNREFUSED): check the endpoint`);
  });

  it('refuses path tricks in names before any request', async () => {
    const store = new VaultStore({ endpoint: vault.url, auth: { token: ROOT } });
    const before = vault.requests.length;
    for (const name of ['../sys/seal', 'a/../../b', '/abs', 'a?list=true']) {
      await expect(store.get(name)).rejects.toThrow(/is not allowed/);
    }
    expect(vault.requests.length).toBe(before);
  });
});
