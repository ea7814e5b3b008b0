import nodeVault from 'node-vault';
import { SecretStoreError } from './errors.js';
import { assertSecretName } from './secret-name.js';
import type { SecretStore, VaultStoreOptions } from './types.js';

type VaultClient = ReturnType<typeof nodeVault>;
type VaultFailure = { response?: { statusCode?: number; body?: { errors?: unknown[] } }; code?: string };

/**
 * Secrets in HashiCorp Vault's KV v2 engine, through node-vault. Values are UTF-8 strings under
 * one field (default `value`), as `vault kv put secret/x value=…` writes them; bytes that are
 * not UTF-8 are written base64 with `<field>_encoding: base64` beside them.
 *
 * Errors are rebuilt from the status code only: node-vault's own errors can carry the request
 * body, which for a write is the value.
 */
export class VaultStore implements SecretStore {
  readonly #client: VaultClient;
  readonly #mount: string;
  readonly #field: string;
  readonly #endpoint: string;
  readonly #options: VaultStoreOptions;
  #loggedIn = false;

  constructor(options: VaultStoreOptions) {
    this.#options = options;
    this.#endpoint = options.endpoint.replace(/\/$/, '');
    this.#mount = (options.mount ?? 'secret').replace(/^\/|\/$/g, '');
    this.#field = options.field ?? 'value';
    if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(this.#mount)) {
      throw new SecretStoreError(`Vault mount ${JSON.stringify(this.#mount)} is not a valid mount path`);
    }
    this.#client = nodeVault({
      endpoint: this.#endpoint,
      namespace: options.namespace,
      token: 'token' in options.auth ? options.auth.token : undefined,
      requestOptions: { timeout: options.requestTimeoutMs ?? 10_000 },
    });
    // node-vault falls back to VAULT_TOKEN / VAULT_NAMESPACE: only what the options say counts.
    if (!('token' in options.auth)) this.#client.token = '';
    (this.#client as VaultClient & { namespace: string }).namespace = options.namespace ?? '';
  }

  async get(name: string): Promise<Buffer | undefined> {
    assertSecretName(name);
    const body = await this.#call(name, () => this.#client.read(`${this.#mount}/data/${name}`), { notFound: 'undefined' });
    if (body === undefined) return undefined;
    const data = (body as { data?: { data?: Record<string, unknown> | null } }).data?.data;
    if (!data) return undefined;
    const value = data[this.#field];
    if (typeof value !== 'string') {
      throw new SecretStoreError(`Vault secret ${name} has no string field "${this.#field}": write it with ${this.#field}=…`);
    }
    return data[`${this.#field}_encoding`] === 'base64' ? Buffer.from(value, 'base64') : Buffer.from(value, 'utf8');
  }

  async set(name: string, value: Buffer): Promise<void> {
    assertSecretName(name);
    const text = value.toString('utf8');
    const data: Record<string, string> = Buffer.from(text, 'utf8').equals(value)
      ? { [this.#field]: text }
      : { [this.#field]: value.toString('base64'), [`${this.#field}_encoding`]: 'base64' };
    await this.#call(name, () => this.#client.write(`${this.#mount}/data/${name}`, { data }));
  }

  async delete(name: string): Promise<void> {
    assertSecretName(name);
    // Deleting the metadata removes every version, not just the latest.
    await this.#call(name, () => this.#client.delete(`${this.#mount}/metadata/${name}`), { notFound: 'undefined' });
  }

  async list(): Promise<string[]> {
    const names: string[] = [];
    const folders = [''];
    while (folders.length > 0) {
      const folder = folders.shift() as string;
      const body = await this.#call(folder || this.#mount, () => this.#client.read(`${this.#mount}/metadata/${folder}?list=true`), {
        notFound: 'undefined',
      });
      const keys = (body as { data?: { keys?: unknown[] } } | undefined)?.data?.keys ?? [];
      for (const key of keys) {
        if (typeof key !== 'string') continue;
        if (key.endsWith('/')) folders.push(`${folder}${key}`);
        else names.push(`${folder}${key}`);
      }
    }
    return names.sort();
  }

  async #call(name: string, request: () => Promise<unknown>, options: { notFound?: 'undefined' } = {}): Promise<unknown> {
    await this.#ensureLogin();
    try {
      return await request();
    } catch (error) {
      const status = statusOf(error);
      if (status === 404 && options.notFound === 'undefined') return undefined;
      // An AppRole token that expired answers 403: log in again once and retry.
      if (status === 403 && 'appRole' in this.#options.auth) {
        this.#loggedIn = false;
        await this.#ensureLogin();
        try {
          return await request();
        } catch (retryError) {
          if (statusOf(retryError) === 404 && options.notFound === 'undefined') return undefined;
          throw this.#explain(name, retryError);
        }
      }
      throw this.#explain(name, error);
    }
  }

  async #ensureLogin(): Promise<void> {
    const auth = this.#options.auth;
    if (!('appRole' in auth) || this.#loggedIn) return;
    const mount = auth.appRole.mount ?? 'approle';
    this.#client.token = '';
    try {
      await this.#client.approleLogin({ role_id: auth.appRole.roleId, secret_id: auth.appRole.secretId, mount_point: mount });
    } catch (error) {
      const status = statusOf(error);
      if (status === 503) throw this.#explain('', error);
      if (status === undefined) throw this.#explain('', error);
      throw new SecretStoreError(`Vault AppRole login at auth/${mount}/login failed (HTTP ${status}): check the roleId and secretId`);
    }
    this.#loggedIn = true;
  }

  #explain(name: string, error: unknown): SecretStoreError {
    const status = statusOf(error);
    if (status === 403) return new SecretStoreError(`Vault refused access to ${name}: check the token/policy`);
    if (status === 503) {
      const sealed = firstVaultError(error).toLowerCase().includes('sealed');
      return new SecretStoreError(
        sealed ? `Vault at ${this.#endpoint} is sealed` : `Vault at ${this.#endpoint} is unavailable (HTTP 503): retry later`,
      );
    }
    if (status === undefined) {
      const code = (error as VaultFailure | undefined)?.code ?? 'no answer';
      return new SecretStoreError(`Vault at ${this.#endpoint} cannot be reached (${code}): check the endpoint`);
    }
    const detail = firstVaultError(error);
    return new SecretStoreError(`Vault answered HTTP ${status} for ${name}${detail ? `: ${detail}` : ''}`);
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as VaultFailure | undefined)?.response?.statusCode;
}

function firstVaultError(error: unknown): string {
  const first = (error as VaultFailure | undefined)?.response?.body?.errors?.[0];
  return typeof first === 'string' ? first.slice(0, 200) : '';
}
