import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { NatsConnection } from '@nats-io/nats-core';
import { requiredBundles } from '@lading/cnab/dependencies';
import { endpoints, isTerminalRunStatus, ownRecord, runEventSchema, runStatus, sealingContexts, subjects, type RunEvent, type RunSubmitRequest, type SetKey } from '@lading/contracts';
import { seal } from '@lading/secrets';
import { callEndpoint, RemoteFailure } from '@lading/service-kit/client';
import { activeTraceIds, withSpan } from '@lading/telemetry';
import { readBuiltTag } from '../bundle-dir.js';
import { brokerPublicKey } from '../broker-sealing.js';
import { bundleOfRun, dependencyRuns, namesDependency, splitDependencyParams, type DependencyRun } from '../dependency-runs.js';
import { pinBundle } from '../pin-bundle.js';
import { verifyPinned } from '../signing-keys.js';
import { resolveLocalSources } from '../resolve-local-sources.js';
import { BundleOutputPrinter } from '../bundle-output-printer.js';
import { oneLine } from '../terminal-text.js';
import { paramName } from '../param-name.js';
import { abandonSession, openSessionEarly, withSession, type Session } from '../session.js';
import { UserError } from '../user-error.js';

interface RunOptions {
  reference?: string;
  dir?: string;
  cred: string[];
  param: string[];
  paramSet: string[];
  namespace: string;
  action?: string;
  wait?: boolean;
  verify?: string;
}

/**
 * How often `--wait` asks again while the installation is busy with another run. Asking again is
 * the only way the CLI can learn the lock is free: the run holding it may be another principal's,
 * whose events this principal may not watch, and the CLI has no JetStream access to watch the lock.
 */
const waitRetryMs = 1_000;

const collect = (value: string, previous: string[]) => [...previous, value];

function setKey(text: string, namespace: string): SetKey {
  const [first, second] = text.split('/');
  return second === undefined ? { name: first, namespace } : { name: second, namespace: first };
}

export function parseParams(pairs: string[]): Record<string, string> {
  const parameters = ownRecord<string>();
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UserError(`--param ${pair} must be NAME=VALUE`);
    parameters[paramName(pair.slice(0, equals), pair.slice(0, equals))] = pair.slice(equals + 1);
  }
  return parameters;
}

/**
 * Submits the run to the broker; with `wait`, asks again while the installation is busy with
 * another run (saying so once) instead of giving up with the broker's answer.
 */
async function submit(nc: NatsConnection, request: RunSubmitRequest, wait: boolean, label: string): Promise<{ bundleReference: string; requiredBundles: string[] }> {
  let told = false;
  for (;;) {
    try {
      return await callEndpoint(nc, endpoints.runsSubmit, request);
    } catch (error) {
      if (!wait || !(error instanceof RemoteFailure) || error.code !== 'busy') throw error;
      if (!told) process.stderr.write(`${label}: waiting, ${error.message.split(':')[0]}\n`);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, waitRetryMs));
    }
  }
}

/** The run's trace id, to find it in Jaeger, Tempo or `lading installations runs NAME --trace RUN`. */
function printTrace(label: string): void {
  const ids = activeTraceIds();
  if (ids) process.stderr.write(`${label}: trace ${ids.traceId}\n`);
}

/** A run's connection to the stack, and the broker's key asked for as soon as it is open. */
interface RunSession {
  opening: Promise<Session>;
  keying: Promise<string>;
}

/**
 * Begins connecting now and asks for the broker's key as soon as the connection is up, so both
 * are ready while the command pins the bundle and reads what it requires.
 */
function openRunSession(): RunSession {
  const opening = openSessionEarly();
  const keying = opening.then(({ nc }) => brokerPublicKey(nc));
  // Its failure is reported where the key is used (or the session's, where that is).
  keying.catch(() => undefined);
  return { opening, keying };
}

/** What one run came to: its exit status, and the bundle the broker admitted with the aliases of those it requires. */
interface RunOutcome {
  exitCode: number;
  bundleReference: string;
  requiredBundles: string[];
}

/**
 * Asks the broker for one run, follows its events, and returns the action's exit status. The
 * session may have been opened beforehand, while the bundle was pinned (see `openRunSession`).
 * `dependenciesRun` tells the broker the bundles this one requires have had their turn; without
 * it a bundle that requires others is refused (`dependencies_first`) before anything is recorded.
 */
async function runOne(
  installation: string,
  action: string,
  options: RunOptions,
  bundleReference: string | undefined,
  dependenciesRun: boolean,
  early: RunSession = openRunSession(),
): Promise<RunOutcome> {
  const { opening, keying } = early;
  const parameters = parseParams(options.param);
  try {
    // Loaded only for --param values: the JSON Schema validator behind it is most of the CNAB library.
    if (bundleReference && Object.keys(parameters).length > 0) await (await import('../check-parameters.js')).checkParameters(bundleReference, action, parameters);
  } catch (error) {
    abandonSession(opening);
    throw error;
  }
  const runId = randomBytes(12).toString('hex');
  const credentialSets = options.cred.map((text) => setKey(text, options.namespace));
  const parameterSets = options.paramSet.map((text) => setKey(text, options.namespace));
  const label = `${action} ${installation}`;

  return withSession(async ({ nc, credentials }) => {
    // env, path and command sources are resolved here, by the person running the action, and sealed for this run only.
    // The broker's key was asked for when the session opened; the subscription is confirmed while the sources are resolved.
    const events = nc.subscribe(subjects.runs.events(credentials.principal, runId));
    const subscribed = nc.flush();
    subscribed.catch(() => undefined);
    const sources = { ...(await resolveLocalSources(nc, 'credentials', credentialSets)), ...(await resolveLocalSources(nc, 'parameters', parameterSets)) };
    const input = seal(Buffer.from(JSON.stringify({ parameters, sources })), await keying, sealingContexts.runInput(runId));
    await subscribed;
    // The run's trace starts here and continues in the broker and the runner through headers.
    const submitted = await withSpan('lading', 'run submit', { 'lading.run.id': runId }, async (span) => {
      try {
        return { admitted: await submit(nc, { runId, installation, namespace: options.namespace, action, bundleReference, credentialSets, parameterSets, input, dependenciesRun }, options.wait === true, label) };
      } catch (error) {
        if (!(error instanceof RemoteFailure) || error.code !== 'dependencies_first') throw error;
        // Expected, not a failure: the bundle's required bundles run first, then it is asked for again.
        span.setAttribute('lading.run.dependencies_first', true);
        return { refused: error };
      }
    });
    if ('refused' in submitted) throw submitted.refused;
    const { admitted } = submitted;
    process.stderr.write(`${label}: run ${runId} queued (${admitted.bundleReference})\n`);
    const outcome = (exitCode: number): RunOutcome => ({ exitCode, bundleReference: admitted.bundleReference, requiredBundles: admitted.requiredBundles });
    const bundleOutput = new BundleOutputPrinter();
    for await (const message of events) {
      const event: RunEvent = runEventSchema.parse(message.json());
      if (event.type === 'log') {
        bundleOutput.print(event);
        continue;
      }
      bundleOutput.endOpenLines();
      process.stderr.write(`${label}: ${event.status}${event.message ? ` (${oneLine(event.message)})` : ''}\n`);
      if (isTerminalRunStatus(event.status)) printTrace(label);
      if (event.status === runStatus.succeeded) return outcome(0);
      if (event.status === runStatus.failed) return outcome(event.exitCode && event.exitCode > 0 ? event.exitCode : 1);
    }
    throw new UserError(`lost the connection to NATS while following run ${runId}: see \`lading installations runs ${installation}\``);
  }, opening);
}

/** The options a required bundle's run takes from its parent's: the same credential sets, namespace and --wait; its own values. */
function dependencyOptions(parameters: Record<string, string>, options: RunOptions): RunOptions {
  return { cred: options.cred, param: Object.entries(parameters).map(([name, value]) => `${name}=${value}`), paramSet: [], namespace: options.namespace, wait: options.wait };
}

/** The bundles a run's bundle requires, with what the command line gives each, and the parent's own `--param` pairs. */
interface DependencyPlan {
  dependencies: DependencyRun[];
  byAlias: Record<string, Record<string, string>>;
  own: string[];
}

/**
 * Reads the bundle the run names (or its installation records) and plans its required bundles'
 * runs; with --verify, checks each of them before any run starts.
 */
async function planDependencies(installation: string, action: string, options: RunOptions, bundleReference: string | undefined): Promise<DependencyPlan> {
  const bundle = await bundleOfRun(installation, options.namespace, bundleReference);
  const aliases = bundle === undefined ? [] : requiredBundles(bundle).map(({ alias }) => alias);
  const { own, byAlias } = splitDependencyParams(options.param, aliases);
  const dependencies = dependencyRuns(bundle, installation, byAlias);
  if (options.verify && action !== 'uninstall') for (const dependency of dependencies) await verifyPinned(dependency.bundle, options.verify);
  return { dependencies, byAlias, own };
}

/**
 * Whether the command must read the bundle before its first run: to check --verify on every
 * required bundle, or to know the aliases `--param ALIAS#NAME=VALUE` names. Otherwise the broker
 * says whether the bundle requires others when it is asked to run it, and bundle.json is read
 * only then (a bundle that requires none is never read by the command).
 */
function readsBundleFirst(options: RunOptions): boolean {
  return options.verify !== undefined || options.param.some(namesDependency);
}

/**
 * Runs the action on the installation and, as Porter's dependencies v1 do, on each required
 * bundle's installation: before the parent for install, upgrade and invoke (a failing one stops
 * there, so nothing of the parent starts), after it and in reverse order for uninstall (the
 * parent goes first; a failure keeps the rest installed). See dependency-runs.ts for why the
 * command, not a service, issues these runs.
 */
async function runAction(installation: string, action: string, options: RunOptions): Promise<void> {
  if (options.reference && options.dir) throw new UserError('give at most one of --reference REF or --dir DIR');
  if (action === 'install' && !options.reference && !options.dir) throw new UserError('give one of --reference REF or --dir DIR');
  // Without either, the broker runs the bundle the installation's record names, by digest.
  const named = options.reference ?? (options.dir ? await readBuiltTag(options.dir) : undefined);
  if (options.verify && !named) throw new UserError('--verify checks the bundle a run names: pass --reference REF or --dir DIR with it');
  // The connection to NATS is made, and the broker's key asked for, while the bundle is pinned and checked, not after.
  const early = openRunSession();
  let bundleReference: string | undefined;
  let plan: DependencyPlan | undefined;
  try {
    bundleReference = named ? await pinBundle(named) : undefined;
    // Every bundle the command runs by the digest it names is checked before its bundle.json is read and before any run starts.
    if (options.verify && bundleReference) await verifyPinned(bundleReference, options.verify);
    if (readsBundleFirst(options)) plan = await planDependencies(installation, action, options, bundleReference);
  } catch (error) {
    abandonSession(early.opening);
    throw error;
  }
  if (action === 'uninstall') {
    const parent = await runOne(installation, action, { ...options, param: plan?.own ?? options.param }, bundleReference, true, early);
    if (parent.requiredBundles.length === 0) {
      process.exitCode = parent.exitCode;
      return;
    }
    plan ??= await planDependencies(installation, action, options, parent.bundleReference);
    let status = parent.exitCode;
    for (const dependency of [...plan.dependencies].reverse()) {
      if (status !== 0) {
        process.stderr.write(`${action} ${dependency.installation}: not started, ${installation} did not uninstall\n`);
        continue;
      }
      const { parameters } = await (await import('../dependency-action.js')).dependencyAction(dependency, action, plan.byAlias);
      status = (await runOne(dependency.installation, action, dependencyOptions(parameters, options), undefined, true)).exitCode;
    }
    process.exitCode = status;
    return;
  }
  let parentSession: RunSession | undefined = early;
  if (plan === undefined) {
    try {
      process.exitCode = (await runOne(installation, action, options, bundleReference, false, early)).exitCode;
      return;
    } catch (error) {
      if (!(error instanceof RemoteFailure) || error.code !== 'dependencies_first') throw error;
      // Nothing of the parent was recorded: its required bundles run first, then it is asked for again.
      parentSession = undefined;
      plan = await planDependencies(installation, action, options, bundleReference);
    }
  }
  for (const dependency of plan.dependencies) {
    const { runs, parameters } = await (await import('../dependency-action.js')).dependencyAction(dependency, action, plan.byAlias);
    if (!runs) {
      process.stderr.write(`${action} ${dependency.installation}: skipped, its bundle has no action ${action}\n`);
      continue;
    }
    // One level, as Porter's dependencies v1: a required bundle's own dependencies are not run.
    const { exitCode } = await runOne(dependency.installation, action, dependencyOptions(parameters, options), dependency.bundle, true);
    if (exitCode !== 0) {
      process.stderr.write(`${action} ${installation}: not started, its dependency ${dependency.alias} (${dependency.installation}) failed\n`);
      if (parentSession) abandonSession(parentSession.opening);
      process.exitCode = exitCode;
      return;
    }
  }
  process.exitCode = (await runOne(installation, action, { ...options, param: plan.own }, bundleReference, true, parentSession)).exitCode;
}

function addRunOptions(command: Command): Command {
  return command
    .option('-r, --reference <ref>', 'the bundle in a registry (tag or digest; pinned to its digest with a manifest HEAD); without it (and --dir) the installation\'s recorded bundle, by digest')
    .option('-d, --dir <dir>', 'a bundle directory built and published with `lading build` / `lading publish`')
    .option('-c, --cred <set>', 'credential set ([namespace/]name); repeatable, later sets win', collect, [])
    .option(
      '-p, --param <name=value>',
      "parameter value; repeatable; ALIAS#NAME=VALUE sets one of the required bundle ALIAS. Sealed to the broker, which keeps a successful run's values in the secret store for the installation's later actions",
      collect,
      [],
    )
    .option('--param-set <set>', 'parameter set ([namespace/]name); repeatable', collect, [])
    .option('-n, --namespace <namespace>', 'namespace of the installation', '')
    .option('-w, --wait', 'when the installation is busy with another run, wait for it instead of refusing')
    .option('--verify <keyfile>', 'run only if the bundle and every image it lists are signed by this public key (cosign format)');
}

const dependencyHelp = (action: string): string =>
  action === 'uninstall'
    ? '\nA bundle with dependencies (porter.yaml dependencies.requires): after it, each required bundle\'s installation <installation>-<alias> is uninstalled, last required first.'
    : `\nA bundle with dependencies (porter.yaml dependencies.requires): ${action} runs first on each required bundle's installation <installation>-<alias>, in order; one that fails stops the command before the bundle itself starts.`;

/** `lading install | upgrade | uninstall | invoke`. */
export function registerRunCommands(program: Command): void {
  for (const action of ['install', 'upgrade', 'uninstall'] as const) {
    addRunOptions(
      program
        .command(action)
        .argument('<installation>', 'installation name')
        .description(`Run the bundle's ${action} action; streams its (masked) output and exits with its status`)
        .addHelpText('after', dependencyHelp(action)),
    ).action((installation: string, options: RunOptions) => runAction(installation, action, options));
  }
  addRunOptions(
    program
      .command('invoke')
      .argument('<installation>', 'installation name')
      .requiredOption('-a, --action <action>', 'the custom action to run')
      .description('Run a custom action of the bundle')
      .addHelpText('after', dependencyHelp('invoke')),
  ).action((installation: string, options: RunOptions) => runAction(installation, options.action as string, options));
}
