import { join, resolve } from 'node:path';
import { adminPrincipal, type ServiceRole } from '@lading/contracts';
import { brokerSettings, builderSettings, guardSettings, runnerSettings, secretStoreSettings, serviceSettings, telemetrySettings } from '@lading/service-kit/settings';
import type { StackPaths } from './layout.js';
import type { StackPorts } from './types.js';

export interface StackService {
  role: ServiceRole;
  /** Process name in stack.json, status and log file names. */
  name: string;
  /** Folder under apps/ holding src/main.ts and, once built, dist/main.js. */
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
/** The user name the guard authenticates to the upstream registry with; no one else has a credential there. */
export const upstreamUser = 'registry-guard';
/** The builder's name at the front door, where it pushes invocation images by digest. */
export const builderRegistryUser = 'builder';

/** A service's compiled bundle (`npm run build`), or its TypeScript entry when run from sources. */
export function defaultServiceScript(repoRoot: string, service: StackService, fromSources = false): string {
  return fromSources ? join(repoRoot, 'apps', service.app, 'src', 'main.ts') : join(repoRoot, 'apps', service.app, 'dist', 'main.js');
}

/**
 * Node's arguments for one service script. Compiled JavaScript runs as it is; a TypeScript
 * script (a checkout run from its sources, a test's stand-in) goes through tsx with the Lading
 * libraries read from their sources too.
 */
export function serviceNodeArgs(script: string): string[] {
  return script.endsWith('.ts') ? ['--conditions=@lading/source', '--import', 'tsx', script] : [script];
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
    [serviceSettings.natsUrl.name]: context.natsUrl,
    [serviceSettings.natsUser.name]: role,
    [serviceSettings.natsPasswordFile.name]: paths.passwordFile(role),
    [serviceSettings.httpPort.name]: String(context.httpPort),
    [serviceSettings.stateDir.name]: paths.stateDir(role),
    [serviceSettings.spansFile.name]: paths.spansFile(role),
    [serviceSettings.principalsFile.name]: paths.principalsFile,
  };
  switch (role) {
    case 'guard':
      return {
        ...common,
        [guardSettings.upstreamRegistry.name]: `http://127.0.0.1:${ports.upstream}`,
        [guardSettings.upstreamUser.name]: upstreamUser,
        [guardSettings.upstreamPasswordFile.name]: paths.upstreamPasswordFile,
        [guardSettings.port.name]: String(ports.guard),
        [guardSettings.forcePrincipals.name]: forcePrincipals,
        [guardSettings.contentPushersFile.name]: paths.contentPushersFile,
        ...operatorChoice(process.env, guardSettings.allowedRegistries.name),
      };
    case 'builder':
      return {
        ...common,
        [builderSettings.registry.name]: frontDoor,
        [builderSettings.registryUser.name]: builderRegistryUser,
        [builderSettings.registryPasswordFile.name]: paths.builderRegistryPasswordFile,
        ...operatorChoice(process.env, builderSettings.allowedRegistries.name),
        ...operatorChoice(process.env, builderSettings.buildEgress.name),
      };
    case 'runner':
      // No runner id: the runner generates one in its state directory, so no two stacks share one.
      return {
        ...common,
        [runnerSettings.registry.name]: frontDoor,
        ...operatorChoice(process.env, runnerSettings.signaturePolicy.name, (file) => resolve(file)),
        // What bundles may do on this host is the operator's to choose when starting the stack, as it is on Kubernetes.
        ...operatorChoice(process.env, runnerSettings.runEgress.name),
        ...operatorChoice(process.env, runnerSettings.runCpus.name),
        ...operatorChoice(process.env, runnerSettings.runNetworkPool.name),
        ...operatorChoice(process.env, runnerSettings.dockerSocketBundles.name),
      };
    case 'broker':
      return {
        ...common,
        // The broker reads bundle.json by digest through the front door when it admits a run.
        [brokerSettings.registry.name]: frontDoor,
        [brokerSettings.brokerKeyFile.name]: paths.brokerKey,
        [brokerSettings.storeKeyFile.name]: paths.storeKey,
        ...secretStoreChoice(process.env),
      };
  }
}

/**
 * The operator's choice of secret store, passed on to the broker: `LADING_SECRET_STORE=vault`
 * and the `LADING_VAULT_*` settings in the environment of `lading up`.
 */
export function secretStoreChoice(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.values(secretStoreSettings).flatMap(({ name }) => (env[name] ? [[name, env[name]]] : [])));
}

/**
 * One operator setting from the environment of `lading up`, passed on as is when set: the other registries
 * (`LADING_ALLOWED_REGISTRIES`, for the builder and the guard), the build network (`LADING_BUILD_EGRESS`, for the builder), and for the
 * runner the signature policy, bundles' network, CPUs, run networks made ahead and Docker socket grants.
 * Services start in the stack's home, so a file path is made absolute first (`shape`).
 */
function operatorChoice(env: NodeJS.ProcessEnv, name: string, shape: (value: string) => string = (value) => value): Record<string, string> {
  const value = env[name];
  return value ? { [name]: shape(value) } : {};
}

/**
 * The environment of a child: this process's, without LADING_* leftovers, plus the service's own.
 * The OpenTelemetry settings (OTEL_*) pass on, so `OTEL_EXPORTER_OTLP_ENDPOINT=… lading up` points
 * every service at the Collector, except OTEL_SERVICE_NAME: each service names itself.
 */
export function childEnvironment(own: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('LADING_') && name !== telemetrySettings.serviceName.name));
  return { ...inherited, ...own };
}
