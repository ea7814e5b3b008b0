import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { jetstream } from '@nats-io/jetstream';
import { runEventSchema, runRequestSchema, subjects, type RunEvent, type SetKey } from '@lading/contracts';
import { readBuiltBundle } from '../bundle-dir.js';
import { BundleOutputPrinter } from '../bundle-output-printer.js';
import { checkCommandLineParameters } from '../check-parameters.js';
import { oneLine } from '../terminal-text.js';
import { resolveBundle } from '../bundle-source.js';
import { runScopedSecretName } from '@lading/secrets';
import { headerCarrier } from '@lading/service-kit';
import { brokerPublicKey, storeSecret } from '../broker-sealing.js';
import { injectTraceContext, withSpan } from '@lading/telemetry';
import { withSession } from '../session.js';
import { UserError } from '../user-error.js';

interface RunOptions {
  reference?: string;
  dir?: string;
  cred: string[];
  param: string[];
  paramSet: string[];
  namespace: string;
  action?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function setKey(text: string, namespace: string): SetKey {
  const [first, second] = text.split('/');
  return second === undefined ? { name: first, namespace } : { name: second, namespace: first };
}

function parseParams(pairs: string[]): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UserError(`--param ${pair} must be NAME=VALUE`);
    parameters[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return parameters;
}

function isSensitive(bundle: Record<string, unknown>, name: string): boolean {
  const parameter = (bundle.parameters as Record<string, { definition?: string }> | undefined)?.[name];
  const definition = parameter?.definition ? (bundle.definitions as Record<string, { writeOnly?: boolean }>)[parameter.definition] : undefined;
  return definition?.writeOnly === true;
}

/** Puts a run on the work queue, follows its events, and exits with the action's status. */
async function runAction(installation: string, action: string, options: RunOptions): Promise<void> {
  if (Boolean(options.reference) === Boolean(options.dir)) throw new UserError('give exactly one of --reference REF or --dir DIR');
  const reference = options.reference ?? (await readBuiltBundle(options.dir as string)).tag;
  const resolved = await resolveBundle(reference);
  const runId = randomBytes(12).toString('hex');
  const given = parseParams(options.param);
  checkCommandLineParameters(resolved.bundle, given);

  const exitCode = await withSession(async ({ nc, credentials }) => {
    const parameters: Record<string, string> = {};
    const sensitiveParameterSecrets: Record<string, string> = {};
    let publicKey: string | undefined;
    for (const [name, value] of Object.entries(given)) {
      if (!isSensitive(resolved.bundle, name)) {
        parameters[name] = value;
        continue;
      }
      // A sensitive value given on the command line goes into the store, sealed; the run names it only.
      const secretName = runScopedSecretName(runId, 'param', name);
      publicKey ??= await brokerPublicKey(nc);
      await storeSecret(nc, publicKey, secretName, Buffer.from(value));
      sensitiveParameterSecrets[name] = secretName;
    }
    const request = runRequestSchema.parse({
      runId,
      installation,
      namespace: options.namespace,
      action,
      bundleReference: resolved.reference,
      credentialSets: options.cred.map((text) => setKey(text, options.namespace)),
      parameterSets: options.paramSet.map((text) => setKey(text, options.namespace)),
      parameters,
      sensitiveParameterSecrets,
      requestedAt: new Date().toISOString(),
      submittedBy: credentials.principal,
    });

    const events = nc.subscribe(subjects.runs.events(credentials.principal, runId));
    await nc.flush();
    // The run's trace starts here and continues in the runner and the broker through headers.
    await withSpan('lading', `${action} ${installation}`, { 'lading.run': runId }, async () => {
      const carrier = headerCarrier();
      injectTraceContext(carrier);
      await jetstream(nc).publish(subjects.runs.requested, JSON.stringify(request), { headers: carrier.headers });
    });
    process.stderr.write(`${action} ${installation}: run ${runId} queued (${resolved.reference})\n`);
    const bundleOutput = new BundleOutputPrinter();
    for await (const message of events) {
      const event: RunEvent = runEventSchema.parse(message.json());
      if (event.type === 'log') {
        bundleOutput.print(event);
        continue;
      }
      bundleOutput.endOpenLines();
      process.stderr.write(`${action} ${installation}: ${event.status}${event.message ? ` (${oneLine(event.message)})` : ''}\n`);
      if (event.status === 'succeeded') return 0;
      if (event.status === 'failed') return event.exitCode && event.exitCode > 0 ? event.exitCode : 1;
    }
    throw new UserError(`lost the connection to NATS while following run ${runId}: see \`lading installations runs ${installation}\``);
  });
  process.exitCode = exitCode;
}

function addRunOptions(command: Command): Command {
  return command
    .option('-r, --reference <ref>', 'the bundle in a registry (tag or digest; resolved to a digest before the run)')
    .option('-d, --dir <dir>', 'a bundle directory built and published with `lading build` / `lading publish`')
    .option('-c, --cred <set>', 'credential set ([namespace/]name); repeatable, later sets win', collect, [])
    .option('-p, --param <name=value>', 'parameter value; repeatable. Sensitive ones are moved into the secret store', collect, [])
    .option('--param-set <set>', 'parameter set ([namespace/]name); repeatable', collect, [])
    .option('-n, --namespace <namespace>', 'namespace of the installation', '');
}

/** `lading install | upgrade | uninstall | invoke`. */
export function registerRunCommands(program: Command): void {
  for (const action of ['install', 'upgrade', 'uninstall'] as const) {
    addRunOptions(
      program
        .command(action)
        .argument('<installation>', 'installation name')
        .description(`Run the bundle's ${action} action; streams its (masked) output and exits with its status`),
    ).action((installation: string, options: RunOptions) => runAction(installation, action, options));
  }
  addRunOptions(
    program
      .command('invoke')
      .argument('<installation>', 'installation name')
      .requiredOption('-a, --action <action>', 'the custom action to run')
      .description('Run a custom action of the bundle'),
  ).action((installation: string, options: RunOptions) => runAction(installation, options.action as string, options));
}
