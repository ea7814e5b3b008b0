import { join } from 'node:path';
import { adminPrincipal, type ServiceRole } from '@lading/contracts';
import { serviceEnv } from './env-names.js';
import type { StackPaths } from './layout.js';
import type { StackPorts } from './types.js';

export interface StackService {
  role: ServiceRole;
  /** Process name in stack.json, status and log file names. */
  name: string;
  /** Folder under apps/ holding src/main.ts. */
  app: string;
}

/** The four services, the broker first since the runner leans on it. */
export const stackServices: readonly StackService[] = [
  { role: 'broker', name: 'secret-broker', app: 'secret-broker' },
  { role: 'guard', name: 'registry-guard', app: 'registry-guard' },
  { role: 'builder', name: 'builder', app: 'builder' },
  { role: 'runner', name: 'runner', app: 'runner' },
];

/** Names of the two processes that carry the services: the event bus and the upstream registry. */
export const infrastructureNames = { nats: 'nats-server', upstream: 'upstream-registry' } as const;

/** Principals the guard lets force a tag overwrite. */
export const forcePrincipals = adminPrincipal;

export function defaultServiceScript(repoRoot: string, service: StackService): string {
  return join(repoRoot, 'apps', service.app, 'src', 'main.ts');
}

export interface ServiceEnvContext {
  natsUrl: string;
  httpPort: number;
  ports: StackPorts;
  paths: StackPaths;
}

/** The LADING_* variables one service is started with. */
export function serviceEnvironment(role: ServiceRole, context: ServiceEnvContext): Record<string, string> {
  const { paths, ports } = context;
  const frontDoor = `127.0.0.1:${ports.guard}`;
  const common = {
    [serviceEnv.natsUrl]: context.natsUrl,
    [serviceEnv.natsUser]: role,
    [serviceEnv.natsPasswordFile]: paths.passwordFile(role),
    [serviceEnv.httpPort]: String(context.httpPort),
    [serviceEnv.stateDir]: paths.stateDir(role),
    [serviceEnv.spansFile]: paths.spansFile(role),
    [serviceEnv.principalsFile]: paths.principalsFile,
  };
  switch (role) {
    case 'guard':
      return {
        ...common,
        [serviceEnv.upstreamRegistry]: `http://127.0.0.1:${ports.upstream}`,
        [serviceEnv.guardPort]: String(ports.guard),
        [serviceEnv.forcePrincipals]: forcePrincipals,
      };
    case 'builder':
      return { ...common, [serviceEnv.registry]: frontDoor };
    case 'runner':
      // No runner id: the runner generates one in its state directory, so no two stacks share one.
      return { ...common, [serviceEnv.registry]: frontDoor };
    case 'broker':
      return {
        ...common,
        [serviceEnv.brokerKeyFile]: paths.brokerKey,
        [serviceEnv.storeKeyFile]: paths.storeKey,
        ...secretStoreChoice(process.env),
      };
  }
}

/**
 * The operator's choice of secret store, passed on to the broker: `LADING_SECRET_STORE=vault`
 * and the `LADING_VAULT_*` settings in the environment of `lading up`.
 */
export function secretStoreChoice(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => /^LADING_(SECRET_STORE|VAULT_[A-Z_]+)$/.test(entry[0]) && entry[1] !== undefined),
  );
}

/** The environment of a child: this process's, without LADING_* leftovers, plus the service's own. */
export function childEnvironment(own: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('LADING_')));
  return { ...inherited, ...own };
}
