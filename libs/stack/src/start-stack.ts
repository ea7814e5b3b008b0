import { access } from 'node:fs/promises';
import type { ServiceRole } from '@lading/contracts';
import { recordStack } from './stack-home.js';
import { dirname, resolve } from 'node:path';
import { defaultHome, defaultPorts, stackPaths, type StackPaths } from './layout.js';
import { prepareDirectories, writeNatsConfig, writePasswords } from './prepare-home.js';
import { writeRegistryConfig } from './registry-config.js';
import { assertPortsFree, freeLoopbackPort } from './ports.js';
import { answersOk, pollUntil, portAccepts, upstreamGuarded } from './probes.js';
import { logTail, spawnDetached, terminate, type OwnedProcess } from './processes.js';
import { allAlive, ownedProcesses } from './recorded-processes.js';
import { handOverStackFiles } from './hand-over-files.js';
import { placeServiceCopies, runsFromCheckout } from './service-copies.js';
import { operatorFilesFor } from './operator-files.js';
import { asUser, planStackUsers, type StackProcessKind, type StackUsers } from './service-users.js';
import {
  childEnvironment,
  defaultServiceScript,
  infrastructureNames,
  serviceEnvironment,
  serviceNodeArgs,
  stackServices,
} from './services.js';
import { readStackFile, removeStackFile, type StackFile, type StackProcess } from './stack-file.js';
import { stackStatus } from './stack-status.js';
import type { StackPorts, StartStackOptions, StartStackResult } from './types.js';
import { CodedError } from '@lading/contracts/errors';

const defaultReadyAttempts = 300;

interface Launch {
  name: string;
  /** Which of the stack's users it runs as, when `lading up` runs as root. */
  kind: StackProcessKind;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  commandMark: string;
  healthPort?: number;
  /** True once the process can take work. */
  ready: () => Promise<boolean>;
  /** What to install when the command is missing. */
  installHint: string;
}

function checkPorts(ports: StackPorts): void {
  for (const [purpose, port] of Object.entries(ports)) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new CodedError('invalid_request', `the ${purpose} port ${String(port)} is not a port number: give an integer from 1 to 65535`);
    }
  }
}

async function resolveScripts(options: StartStackOptions): Promise<Map<ServiceRole, string>> {
  const scripts = new Map<ServiceRole, string>();
  for (const service of stackServices) {
    const script = resolve(options.services?.[service.role] ?? defaultServiceScript(options.repoRoot, service, options.fromSources));
    await access(script).catch(() => {
      throw new CodedError(
        'bad_configuration',
        `the ${service.name} service script ${script} is missing: run lading from a Lading checkout built with \`npm run build\``,
      );
    });
    scripts.set(service.role, script);
  }
  return scripts;
}

/** Leftovers of a stack that half died: stop what still runs so a fresh one can start. */
async function clearStaleStack(home: string, stack: StackFile): Promise<void> {
  await terminate(ownedProcesses(stack));
  await removeStackFile(home);
}

async function launch(
  item: Launch,
  paths: StackPaths,
  users: StackUsers | undefined,
  started: OwnedProcess[],
  records: Record<string, StackProcess>,
): Promise<() => string | undefined> {
  const log = paths.log(item.name);
  const user = users?.[item.kind];
  const { command, args } = user ? asUser(user, item.command, item.args) : item;
  const child = await spawnDetached({ command, args, env: item.env, cwd: item.cwd, log }).catch(
    (error: Error) => {
      throw new CodedError('upstream_failed', `${error.message}: ${item.installHint}`, { cause: error });
    },
  );
  started.push({ name: item.name, pid: child.pid, commandMark: item.commandMark });
  records[item.name] = { pid: child.pid, healthPort: item.healthPort, log, commandMark: item.commandMark };
  return child.exitReason;
}

async function waitReady(item: Launch, exitReason: () => string | undefined, attempts: number, paths: StackPaths) {
  const ready = await pollUntil(item.ready, attempts, () => exitReason() !== undefined);
  if (ready) return;
  const why = exitReason() ?? `not ready after ${attempts} checks`;
  const tail = await logTail(paths.log(item.name));
  throw new CodedError(
    'upstream_failed',
    `${item.name} did not start (${why}); last lines of ${paths.log(item.name)}:\n${tail || '(the log is empty)'}`,
  );
}

/**
 * Starts the embedded stack: nats-server, the upstream registry and the four services, each
 * detached with its log under <home>/logs, then records them in <home>/stack.json.
 * Finds an already running stack instead of starting a second one.
 */
export async function startStack(options: StartStackOptions): Promise<StartStackResult> {
  const home = resolve(options.home ?? defaultHome());
  const paths = stackPaths(home);
  const existing = await readStackFile(home);
  if (existing && allAlive(existing)) {
    return {
      alreadyRunning: true,
      message: `the stack is already running (since ${existing.startedAt}); \`lading down\` stops it`,
      status: await stackStatus({ home }),
    };
  }
  if (existing) await clearStaleStack(home, existing);

  const ports: StackPorts = { ...defaultPorts, ...options.ports };
  checkPorts(ports);
  const scripts = await resolveScripts(options);
  await assertPortsFree(ports);
  const attempts = options.readyAttempts ?? defaultReadyAttempts;

  await prepareDirectories(paths, stackServices.map((service) => service.role));
  const passwords = await writePasswords(paths);
  const monitorPort = await freeLoopbackPort();
  await writeNatsConfig(paths, ports, monitorPort, passwords);
  await writeRegistryConfig(paths, ports);
  const placed = await placeServiceCopies(paths, scripts);
  const fromCheckout = [...placed.values()].some(runsFromCheckout);
  const plan = await planStackUsers({ home, checkout: fromCheckout ? resolve(options.repoRoot) : undefined });
  const users = plan.users;
  if (users) await handOverStackFiles(paths, users);

  const natsUrl = `nats://127.0.0.1:${ports.nats}`;
  const upstream = `http://127.0.0.1:${ports.upstream}`;
  const started: OwnedProcess[] = [];
  const records: Record<string, StackProcess> = {};
  try {
    const nats: Launch = {
      name: infrastructureNames.nats,
      kind: 'nats',
      command: 'nats-server',
      args: ['-c', paths.natsConfig],
      env: childEnvironment({}),
      cwd: home,
      commandMark: paths.natsConfig,
      healthPort: monitorPort,
      ready: async () => (await portAccepts(ports.nats)) && answersOk(`http://127.0.0.1:${monitorPort}/healthz`),
      installHint: 'install the Debian package nats-server',
    };
    await waitReady(nats, await launch(nats, paths, users, started, records), attempts, paths);

    const registry: Launch = {
      name: infrastructureNames.upstream,
      kind: 'upstream',
      command: 'docker-registry',
      args: ['serve', paths.registryConfig],
      env: childEnvironment({}),
      cwd: home,
      commandMark: paths.registryConfig,
      ready: () => upstreamGuarded(upstream),
      installHint: 'install the Debian package docker-registry',
    };
    await waitReady(registry, await launch(registry, paths, users, started, records), attempts, paths);

    const services: [Launch, () => string | undefined][] = [];
    for (const service of stackServices) {
      const httpPort = await freeLoopbackPort();
      const script = placed.get(service.role) as string;
      const item: Launch = {
        name: service.name,
        kind: service.role,
        command: process.execPath,
        args: serviceNodeArgs(script),
        env: childEnvironment({
          ...serviceEnvironment(service.role, { natsUrl, httpPort, ports, paths }),
          ...(users ? await operatorFilesFor(service.role, paths, users) : {}),
          // Tools that look in ~ find the service's own folder, not root's.
          ...(users ? { HOME: paths.stateDir(service.role) } : {}),
        }),
        // From sources, `--import tsx` is resolved from the checkout, where its node_modules are.
        cwd: runsFromCheckout(script) ? resolve(options.repoRoot) : dirname(script),
        commandMark: script,
        healthPort: httpPort,
        ready: async () =>
          (await answersOk(`http://127.0.0.1:${httpPort}/readyz`)) &&
          (service.role !== 'guard' || (await portAccepts(ports.guard))),
        installHint: 'check that Node.js can run it',
      };
      services.push([item, await launch(item, paths, users, started, records)]);
    }
    for (const [item, exitReason] of services) await waitReady(item, exitReason, attempts, paths);

    await recordStack(home, passwords, { natsUrl, frontDoor: `127.0.0.1:${ports.guard}`, upstream, processes: records });
  } catch (error) {
    await terminate(started.reverse());
    throw error;
  }
  return {
    alreadyRunning: false,
    message: `the stack is up: NATS at ${natsUrl}, registry at 127.0.0.1:${ports.guard}${plan.users || !plan.reason ? '' : `; its processes run as root because ${plan.reason}`}`,
    status: await stackStatus({ home }),
  };
}
