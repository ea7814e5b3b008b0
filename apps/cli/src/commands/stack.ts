import type { Command } from 'commander';
import { defaultPorts, PortInUseError, seedBaseImages, startStack, stackStatus, stopStack } from '@lading/stack';
import { parseOutputFormat, printResult } from '../output.js';
import { checkoutRoot } from '../checkout-root.js';
import { ladingHome } from '../session.js';
import { UserError } from '../user-error.js';
import { driftLines, tagDrift } from './tag-drift.js';

// Run from its sources, lading starts the services from theirs; compiled, their compiled bundles.
const fromSources = import.meta.url.endsWith('.ts');

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) throw new UserError(`"${value}" is not a port number`);
  return parsed;
}

/** A process's user id as a person reads it: root spelled out, since that is what matters. */
function userLabel(uid: number | undefined): string {
  if (uid === undefined) return '';
  return uid === 0 ? '0 (root)' : String(uid);
}

/** `lading up | down | status`: the embedded default stack on this machine. */
export function registerStackCommands(program: Command): void {
  program
    .command('up')
    .description('Start the whole stack on this machine: NATS, a registry behind the guard, and the four services')
    .option('--nats-port <port>', 'NATS port', port, defaultPorts.nats)
    .option('--guard-port <port>', 'registry front door (push and pull through this)', port, defaultPorts.guard)
    .option('--upstream-port <port>', 'upstream registry, on loopback only', port, defaultPorts.upstream)
    .action(async (options: { natsPort: number; guardPort: number; upstreamPort: number }) => {
      const repoRoot = checkoutRoot(import.meta.dirname);
      if (!repoRoot) throw new UserError('lading up starts the services of a Lading checkout, and this lading is not inside one: run it from a checkout');
      const started = await startStack({
        home: ladingHome(),
        repoRoot,
        fromSources,
        ports: { nats: options.natsPort, guard: options.guardPort, upstream: options.upstreamPort },
      }).catch((error: unknown) => {
        if (error instanceof PortInUseError) throw new UserError(error.message);
        throw error;
      });
      process.stdout.write(`${started.message}\n`);
      const registry = started.status.endpoints?.registry ?? `127.0.0.1:${options.guardPort}`;
      for (const base of await seedBaseImages(ladingHome(), (line) => process.stdout.write(`${line}\n`))) {
        process.stdout.write(`base image ${base.reference} (${base.digest})${base.note ? `: ${base.note}` : ''}\n`);
      }
      process.stdout.write(`registry front door: ${registry}\nnext: lading create mybundle && lading build --dir mybundle\n`);
    });

  program
    .command('down')
    .description('Stop everything `lading up` started')
    .action(async () => {
      const stopped = await stopStack({ home: ladingHome() });
      process.stdout.write(`${stopped.message}\n`);
    });

  program
    .command('status')
    .description('Show the endpoints, and the health and user of each process')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .action(async (options: { output: string }) => {
      const format = parseOutputFormat(options.output);
      const status = await stackStatus({ home: ladingHome() });
      if (format === 'table' && status.endpoints) {
        process.stdout.write(`nats      ${status.endpoints.nats}\nregistry  ${status.endpoints.registry}\nupstream  ${status.endpoints.upstream}\n\n`);
      }
      if (format === 'table' && !status.endpoints) process.stdout.write('no stack is running: start one with `lading up`\n');
      const rows = status.services.map((service) => ({ ...service, healthPort: service.healthPort ?? '', user: userLabel(service.uid) }));
      // Tags someone changed in the upstream around the guard: asked of the guard only when the stack runs.
      const drift = status.running && status.endpoints ? await tagDrift() : undefined;
      const tagDriftFound = drift && 'drift' in drift ? drift.drift : null;
      printResult(format, { ...status, tagDrift: tagDriftFound }, { rows, columns: ['name', 'pid', 'user', 'alive', 'healthy', 'ready', 'healthPort'] });
      if (format === 'table' && tagDriftFound) process.stdout.write(tagDriftFound.length ? `\n${driftLines(tagDriftFound)}` : '');
      if (drift && 'unknown' in drift) process.stderr.write(`lading: could not ask the registry guard about tag drift: ${drift.unknown}\n`);
      if (!status.running) process.exitCode = 1;
    });
}
