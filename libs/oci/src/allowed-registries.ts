import { OciError } from './errors.js';
import { isRegistryHost } from './reference.js';
import { RegistryClient } from './registry-client.js';
import type { RegistryCredentials } from './types.js';

/**
 * The registries a service may contact, by allow-list: the stack's own front door unless the
 * operator names others (comma-separated host[:port], the front door always included). Clients it hands out accept token realms only on these hosts and follow no
 * redirect to another host, so a lading.yaml or bundle.json cannot point a service anywhere else.
 */
export class AllowedRegistries {
  readonly hosts: readonly string[];
  private readonly clients = new Map<string, RegistryClient>();

  constructor(frontDoor: string, others: readonly string[] = []) {
    this.hosts = [...new Set([frontDoor, ...others])];
    const bad = this.hosts.find((host) => !isRegistryHost(host));
    if (bad !== undefined) throw new OciError(`The allowed registries name "${bad}", which is not a registry host[:port].`, { reason: 'BAD_ALLOW_LIST' });
  }

  allows(host: string): boolean {
    return this.hosts.includes(host);
  }

  /** A client for an allowed registry; `what` names who asked for it (`baseImage "…"`) in the refusal. */
  clientFor(host: string, what: string, credentials?: RegistryCredentials): RegistryClient {
    if (!this.allows(host)) {
      throw new OciError(`${what} is on registry ${host}, which this stack does not contact: the operator allows ${this.hosts.join(', ')}.`, {
        registry: host,
        reason: 'REGISTRY_NOT_ALLOWED',
      });
    }
    let client = this.clients.get(host);
    if (!client) {
      client = new RegistryClient({ registry: host, allowedHosts: this.hosts, credentials });
      this.clients.set(host, client);
    }
    return client;
  }
}
