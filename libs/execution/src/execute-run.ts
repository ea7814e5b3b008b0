import { randomBytes } from 'node:crypto';
import { claimStatus, isTerminalRunStatus, runStatus, type RunEvent, type RunRequest, type RunState } from '@lading/contracts';
import { bundleNeeds, createClaim, createClaimResult, declaresAction, validateBundle, validateRelocationMapping, type Bundle, type BundleNeeds } from '@lading/cnab';
import { indexedInvocationImage, parseReference, presentRelocationMapping, pullBundle, type KnownBundles, type PulledBundle } from '@lading/oci';
import { bundleLabels, encodeStdinPayload, parseDigestReference, pullImageByDigest, runBundleContainer } from '@lading/runtime';
import { RELOCATION_MAPPING_PATH, takesTraceContext } from '@lading/manifest';
import { activeTraceIds, context, instruments, markFailed, recordSpan, secondsSince, startSpan, traceContextVariables, withSpan } from '@lading/telemetry';
import { checkCommandLine, planDelivery } from './delivery-plan.js';
import { obtainLease, refuseExpiredLease } from './lease-step.js';
import { maxStoredLogBytes } from '@lading/store';
import { RunOutput, type StoredLog } from './run-output.js';
import { recordFinish } from './record-finish.js';
import { StepSpans } from './step-spans.js';
import { enforceSignaturePolicy } from './signature-policy.js';
import { RunRefusedError, type ExecutionDependencies } from './types.js';

interface LoadedBundle {
  bundle: Bundle;
  digest: string;
  /** The invocation image in the bundle's own repository: what the run pulls and starts. */
  image: string;
  /** Original reference → relocated reference, every target known to exist by digest. */
  relocationMapping: Record<string, string>;
}

async function loadBundle(request: RunRequest, deps: ExecutionDependencies): Promise<LoadedBundle> {
  const reference = parseReference(request.bundleReference);
  if (!reference.digest) throw new RunRefusedError(`${request.bundleReference} is not a reference by digest: runs use digests only`);
  if (reference.registry !== deps.registry.registry) {
    throw new RunRefusedError(`the bundle is in registry ${reference.registry}, but this runner pulls only through ${deps.registry.registry}`);
  }
  const pulled = await (deps.bundlePull ?? deps.knownBundles?.pull(reference.repository, reference.digest) ?? pullBundle(deps.registry, reference.repository, reference.digest));
  const bundle = validateBundle(pulled.bundle);
  parseDigestReference(bundle.invocationImages[0]?.image ?? '');
  const image = indexedInvocationImage(pulled, { registry: deps.registry.registry, repository: reference.repository });
  // The pull has just found the invocation image in the repository; the other images are asked for here.
  const relocationMapping = validateRelocationMapping(await presentRelocationMapping(deps.registry, bundle, reference.repository, new Set([pulled.invocationImage.digest])));
  return { bundle, digest: reference.digest, image, relocationMapping };
}

/**
 * Begins reading a queued run's bundle (its documents, and whether its invocation image is in
 * its repository) through `knownBundles`, the runner's own registry client, before the run is
 * claimed: a read only, so a run the broker then refuses has cost a registry request and
 * nothing else. The run still checks the reference itself before it uses what was read.
 */
export function startBundlePull(request: RunRequest, knownBundles: KnownBundles): Promise<PulledBundle> {
  const reference = parseReference(request.bundleReference);
  const pulling = withSpan('lading', 'bundle pull', { 'lading.run.id': request.runId }, () => knownBundles.pull(reference.repository, reference.digest ?? ''));
  // Its failure is the run's, reported when the run uses it (or never, for a run not claimed).
  pulling.catch(() => undefined);
  return pulling;
}

/**
 * Executes one run request end to end: records the claim, pulls the invocation image, obtains
 * the run's values through a sealed single-use lease, runs the invocation image hardened, masks its output, keeps
 * sensitive outputs in the secret store, and records the result. Never throws for a failed
 * run: the failure is recorded and returned.
 */
export async function executeRun(request: RunRequest, deps: ExecutionDependencies): Promise<RunState> {
  // The container and network are removed once the result is recorded, so the user need not wait for Docker.
  const removals: Array<() => Promise<void>> = [];
  try {
    return await recordRun(request, deps, (removal) => removals.push(removal));
  } finally {
    const removal = Promise.all(removals.map((remove) => remove())).then(() => undefined);
    if (deps.removeAfterRecord) deps.removeAfterRecord(removal);
    else await removal;
  }
}

async function recordRun(request: RunRequest, deps: ExecutionDependencies, removeLater: (removal: () => Promise<void>) => void): Promise<RunState> {
  const previous = await deps.records.getRun(request.runId);
  if (previous && isTerminalRunStatus(previous.value.status)) return previous.value;

  const publish = (event: RunEvent) => deps.publishEvent(event);
  // A run left unfinished by a runner that died keeps its claim, so that its failure is a CNAB result of that claim.
  let state: RunState = previous?.value ?? {
    runId: request.runId,
    installation: request.installation,
    namespace: request.namespace,
    action: request.action,
    status: runStatus.pending,
    runnerId: deps.runnerId,
    credentialSets: request.credentialSets,
    parameterSets: request.parameterSets,
    bundleReference: request.bundleReference,
    traceId: activeTraceIds()?.traceId,
    updatedAt: new Date().toISOString(),
  };
  const save = async (changes: Partial<RunState>) => {
    state = { ...state, ...changes, updatedAt: new Date().toISOString() };
    await deps.records.runs.put(state.runId, state);
    if (changes.status) publish({ type: 'status', runId: state.runId, status: state.status, exitCode: state.exitCode, message: state.message });
  };

  let log: StoredLog = { log: '', truncated: false };
  let output: RunOutput | undefined;
  let bundle: Bundle | undefined;
  let bundleDigest = '';
  let image = '';
  let relocationMapping: Record<string, string> = {};
  let needs: BundleNeeds | undefined;
  try {
    if (previous) throw new RunRefusedError('the runner that took this run stopped before it finished; run the action again');
    ({ bundle, digest: bundleDigest, image, relocationMapping } = await withSpan('lading', 'bundle checks', { 'lading.run.id': request.runId }, () => loadBundle(request, deps)));
    await enforceSignaturePolicy(deps.signaturePolicy ?? [], deps.registry, parseReference(request.bundleReference).repository, bundleDigest);
    if (!declaresAction(bundle, request.action)) throw new RunRefusedError(`the bundle has no action ${request.action}`);
    needs = bundleNeeds(bundle, request.action);
    checkCommandLine(needs, request.parameters);
    const claim = createClaim({
      installation: request.installation,
      namespace: request.namespace,
      action: request.action,
      bundle,
      bundleReference: request.bundleReference,
      // Sensitive values given on the command line reach the bundle through the lease only; the claim records them redacted.
      parameters: { ...request.parameters, ...Object.fromEntries(request.sensitiveParameters.map((name) => [name, ''])) },
    });
    await save({ status: runStatus.starting, claim });

    // Everything slow happens before the lease, so its 30 s bound covers only the start itself.
    const pulled = await withSpan('lading', 'image pull', { 'container.image.name': image }, () => pullImageByDigest(deps.docker, image));
    await save({ leaseRequestedAt: new Date().toISOString() });
    const leaseStarted = performance.now();
    const payload = await withSpan('lading', 'lease', { 'lading.run.id': request.runId }, () => obtainLease(request, deps)).catch((error: unknown) => {
      instruments().leaseDuration.record(secondsSince(leaseStarted), { outcome: 'refused' });
      throw new RunRefusedError(`the lease requested at ${state.leaseRequestedAt} was not granted: ${error instanceof Error ? error.message : 'no answer'}`);
    });
    instruments().leaseDuration.record(secondsSince(leaseStarted), { outcome: 'granted' });
    const plan = planDelivery(needs, request.parameters, payload);
    await save({ status: runStatus.running });

    const nonce = randomBytes(16).toString('hex');
    refuseExpiredLease(payload);
    // The container's span is the parent of each step's span; the run script learns it from its input.
    const container = startSpan('lading', 'container run', { 'container.name': `lading-run-${request.runId}`, 'container.image.name': image });
    const steps = new StepSpans(container.context);
    const trace = takesTraceContext(bundle) ? traceContextVariables(container.context) : {};
    const runOutput = new RunOutput({
      nonce,
      secretValues: plan.secretValues,
      outputSecretValues: plan.outputSecretValues,
      sensitiveOutputs: new Set(needs.outputs.filter((declared) => declared.sensitive).map(({ name }) => name)),
      logLimit: maxStoredLogBytes,
      deliver: (stream, data) => publish({ type: 'log', runId: request.runId, stream, data }),
      onStep: (frame) => steps.frame(frame),
    });
    output = runOutput;
    const result = await context
      .with(container.context, () =>
        runBundleContainer(deps.docker, {
          ...deps.container,
          image,
          imageLabels: pulled.labels,
          name: `lading-run-${request.runId}`,
          stdinPayload: encodeStdinPayload({ action: request.action, nonce, env: plan.env, files: plan.files, traceparent: trace.TRACEPARENT, tracestate: trace.TRACESTATE }),
          readOnlyFiles: { [RELOCATION_MAPPING_PATH]: Buffer.from(`${JSON.stringify(relocationMapping, null, 2)}\n`) },
          labels: { [bundleLabels.run]: request.runId, [bundleLabels.installation]: request.installation },
          // CNAB's run environment; porter.yaml's installation.name template reads it.
          env: { CNAB_INSTALLATION_NAME: request.installation, CNAB_ACTION: request.action },
          allowDockerSocket: deps.allowDockerSocket({ runId: request.runId, bundleReference: request.bundleReference, bundleDigest }),
          onStdout: (chunk) => runOutput.stdout(chunk),
          onStderr: (chunk) => runOutput.stderr(chunk),
          removeLater,
        }),
      )
      .then(
        (done) => {
          container.span.setAttribute('process.exit.code', done.exitCode);
          return done;
        },
        (error: unknown) => {
          markFailed(container.span, error);
          throw error;
        },
      )
      .finally(() => {
        steps.end();
        container.span.end();
      });
    const captureStarted = Date.now();
    log = runOutput.end();
    recordSpan('lading', 'output capture', { 'lading.output.count': runOutput.outputs.size, 'lading.output.redactions': runOutput.redactions, 'lading.log.truncated': log.truncated }, captureStarted, Date.now());
    plan.secretValues.length = 0;
    plan.outputSecretValues.length = 0;

    const status = result.exitCode === 0 ? runStatus.succeeded : runStatus.failed;
    const message = status === runStatus.succeeded ? undefined : `action ${request.action} exited with status ${result.exitCode}`;
    await withSpan('lading', 'record', { 'lading.run.id': request.runId, 'lading.run.status': status }, async () => {
      const recordedOutputs = await recordFinish({ state, bundle, needs, outputs: runOutput.outputs, log, deps, succeeded: status === runStatus.succeeded });
      const claimResult = state.claim ? createClaimResult({ claimId: state.claim.id, status, message, outputs: recordedOutputs }) : undefined;
      await save({ status, exitCode: result.exitCode, message, result: claimResult });
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : 'the run failed';
    deps.log('run failed', { runId: request.runId, reason: message });
    log = output?.end() ?? log;
    if (state.claim) await recordFinish({ state, bundle, needs, outputs: new Map(), log, deps, succeeded: false }).catch(() => undefined);
    const claimResult = state.claim ? createClaimResult({ claimId: state.claim.id, status: claimStatus.failed, message }) : undefined;
    await save({ status: runStatus.failed, message, result: claimResult });
  }
  return state;
}
