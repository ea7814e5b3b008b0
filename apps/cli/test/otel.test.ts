/**
 * Observability end to end: the stack started with OTEL_EXPORTER_OTLP_ENDPOINT exports to an
 * OTLP/HTTP receiver (a stand-in for a Collector: protobuf from the services, JSON from the CLI),
 * and build → publish → install of a bundle whose step prints $TRACEPARENT make one trace, carried
 * in from the CLI's own TRACEPARENT, with spans from all five processes and each run phase once.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, parsePrometheusText } from '@lading/testkit';
import { runCli } from './cli-process.js';
import { filesContaining, leakForms } from './search-files.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';

const secretCanary = `otel-secret-${randomBytes(12).toString('hex')}`;
const paramCanary = `otel-param-${randomBytes(12).toString('hex')}`;
const traceId = randomBytes(16).toString('hex');
const callerSpan = randomBytes(8).toString('hex');
const services = ['lading-cli', 'lading-builder', 'lading-registry-guard', 'lading-secret-broker', 'lading-runner'];
const runPhases = ['queue wait', 'claim', 'bundle pull', 'bundle checks', 'image pull', 'lease', 'container create', 'container start', 'container run', 'step 1', 'output capture', 'record'];
const buildAndPublishPhases = ['image resolve', 'image build', 'image push', 'image copy', 'index prepare', 'ledger decision', 'index write'];

function manifest(registry: string): string {
  return `schemaVersion: 1.0.0
name: traced
version: 0.1.0
registry: ${registry}/bundles
baseImage: ${registry}/lading/busybox:stable
credentials:
  - { name: api-token, env: API_TOKEN, required: true }
parameters:
  - { name: note, type: string, sensitive: true, env: NOTE }
install:
  - exec:
      command: sh
      arguments: ["-c", 'echo "traceparent=$TRACEPARENT"; echo "token=$API_TOKEN note=$NOTE"']
`;
}


describe('OTLP export, one trace into the container, metrics', { shuffle: false }, () => {
  let receiver: OtlpReceiver;
  let home: string;
  let work: string;
  let installOutput = '';
  let installErrors = '';
  const otel = (protocol: string) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_METRIC_EXPORT_INTERVAL: '1000',
    // Each service names itself: a name given to `lading up` must not merge them.
    OTEL_SERVICE_NAME: 'lading-cli',
  });
  const cli = (args: string[], stdin?: string) => runCli(home, args, stdin, { ...otel('http/json'), TRACEPARENT: `00-${traceId}-${callerSpan}-01` });
  const traceSpans = () => receiver.spans.filter((span) => span.traceId === traceId);

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    home = await mkdtemp(join(tmpdir(), 'lading-otel-home-'));
    work = await mkdtemp(join(tmpdir(), 'lading-otel-work-'));
    const [nats, guard, upstream] = [await freePort(), await freePort(), await freePort()];
    const up = await runCli(home, ['up', '--nats-port', String(nats), '--guard-port', String(guard), '--upstream-port', String(upstream)], undefined, otel('http/protobuf'));
    expect(up.code, up.stderr).toBe(0);
    const registry = `127.0.0.1:${guard}`;
    const dir = join(work, 'traced');
    await mkdir(dir);
    await writeFile(join(dir, 'lading.yaml'), manifest(registry));
    for (const args of [['build', '--dir', dir], ['publish', '--dir', dir]]) {
      const result = await cli(args);
      expect(result.code, result.stderr).toBe(0);
    }
    expect((await cli(['secrets', 'set', 'otel-token', '--from-stdin'], secretCanary)).code).toBe(0);
    const creds = join(work, 'creds.yaml');
    await writeFile(creds, 'schemaVersion: 1.0.1\nname: otel-creds\ncredentials:\n  - { name: api-token, source: { secret: otel-token } }\n');
    expect((await cli(['credentials', 'apply', creds])).code).toBe(0);
    const install = await cli(['install', 'traced-app', '--dir', dir, '--cred', 'otel-creds', '--param', `note=${paramCanary}`]);
    expect(install.code, install.stderr).toBe(0);
    installOutput = install.stdout;
    installErrors = install.stderr;
    // The services export in batches, and a parent ends (and is sent) after its children: wait until
    // every run phase and the span it hangs from have arrived.
    await receiver.received(() => {
      const spans = traceSpans();
      const ids = new Set([...spans.map((span) => span.spanId), callerSpan]);
      return runPhases.every((phase) => spans.some((span) => span.name === phase && ids.has(span.parentSpanId)));
    });
  });

  afterAll(async () => {
    await runCli(home, ['down']);
    await receiver.close();
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('holds spans from all five processes in the one trace, each naming its own service, version and instance', () => {
    const spans = traceSpans();
    expect([...new Set(spans.map((span) => span.service))].sort()).toEqual([...services].sort());
    for (const span of spans) expect(span.resource['service.version'], span.service).toMatch(/^\d+\.\d+\.\d+$/);
    const runner = spans.find((span) => span.service === 'lading-runner');
    expect(runner?.resource['service.instance.id']).toMatch(/^runner-[0-9a-f]{12}$/);
    // Services sent protobuf, the CLI JSON: both decoded.
    expect(receiver.bodies.some((body) => body.path === '/v1/traces' && body.contentType.includes('protobuf'))).toBe(true);
    expect(receiver.bodies.some((body) => body.path === '/v1/traces' && body.contentType.includes('json'))).toBe(true);
  });

  it('covers each run phase once, each with a parent in the trace, and the build and publish phases', () => {
    const spans = traceSpans();
    const ids = new Set([...spans.map((span) => span.spanId), callerSpan]);
    for (const phase of runPhases) {
      const named = spans.filter((span) => span.name === phase);
      expect(named, phase).toHaveLength(1);
      expect(ids.has(named[0].parentSpanId), `${phase} has a parent in the trace`).toBe(true);
    }
    for (const phase of buildAndPublishPhases) expect(spans.some((span) => span.name === phase && ids.has(span.parentSpanId)), phase).toBe(true);
    const byName = (name: string) => spans.find((span) => span.name === name) as ReceivedSpan;
    expect(byName('step 1').attributes['process.exit.code']).toBe(0);
    expect(byName('step 1').parentSpanId).toBe(byName('container run').spanId);
    expect(byName('container create').parentSpanId).toBe(byName('container run').spanId);
    expect(byName('container run').attributes['container.image.name']).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(byName('output capture').attributes['lading.output.redactions']).toBeGreaterThanOrEqual(2);
  });

  it('names NATS hops and front-door requests by the semantic conventions', () => {
    const spans = traceSpans();
    const lease = spans.find((span) => span.name === 'process lading.broker.lease');
    expect(lease?.attributes).toMatchObject({ 'messaging.system': 'nats', 'messaging.destination.name': 'lading.broker.lease', 'messaging.operation.type': 'process' });
    const send = spans.find((span) => span.name === 'send lading.broker.lease');
    expect(lease?.parentSpanId).toBe(send?.spanId);
    const frontDoor = spans.filter((span) => span.service === 'lading-registry-guard' && span.kind === 2 && typeof span.attributes['http.route'] === 'string');
    expect(frontDoor.length).toBeGreaterThan(0);
    for (const span of frontDoor) {
      expect(span.attributes['http.request.method']).toMatch(/^[A-Z]+$/);
      expect(span.attributes['http.response.status_code']).toBeGreaterThan(0);
      expect(typeof span.attributes['http.response.body.size']).toBe('number');
    }
    expect(frontDoor.some((span) => span.attributes['http.route'] === '/v2/{name}/manifests/{reference}')).toBe(true);
  });

  it("hands the bundle TRACEPARENT pointing at its step's span, and prints the trace id", () => {
    const step = traceSpans().find((span) => span.name === 'step 1') as ReceivedSpan;
    expect(installOutput).toContain(`traceparent=00-${traceId}-${step.spanId}-01`);
    expect(installErrors).toContain(`trace ${traceId}`);
  });

  it('shows the trace id with the run and prints its span tree from the embedded store', async () => {
    const runs = await cli(['installations', 'runs', 'traced-app', '--output', 'json']);
    const [run] = JSON.parse(runs.stdout) as Array<{ runId: string; traceId: string }>;
    expect(run.traceId).toBe(traceId);
    const tree = await cli(['installations', 'runs', 'traced-app', '--trace', run.runId]);
    expect(tree.code, tree.stderr).toBe(0);
    expect(tree.stdout).toContain(`trace ${traceId}`);
    expect(tree.stdout).toMatch(/^ {2,}step 1 {2}\d+(\.\d+)? (ms|s) {2}\(lading-runner\)$/m);
    const unknown = await cli(['installations', 'runs', 'traced-app', '--trace', 'nope']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exposes Prometheus text with HELP, TYPE and histograms on every /metrics, and pushes metrics over OTLP', async () => {
    const status = JSON.parse((await runCli(home, ['status', '--output', 'json'])).stdout) as { services: Array<{ name: string; healthPort: number }> };
    const ours = status.services.filter((service) => ['builder', 'registry-guard', 'secret-broker', 'runner'].includes(service.name));
    expect(ours).toHaveLength(4);
    for (const service of ours) {
      const text = await (await fetch(`http://127.0.0.1:${service.healthPort}/metrics`)).text();
      expect(text).toContain('# HELP');
      const families = parsePrometheusText(text);
      const histograms = families.filter((family) => family.type === 'HISTOGRAM').map((family) => family.name);
      expect(histograms, service.name).toContain('lading_endpoint_duration');
      const expected: Record<string, string[]> = {
        runner: ['lading_run_duration', 'lading_run_queue_wait', 'lading_lease_duration'],
        'registry-guard': ['http_server_request_duration'],
      };
      for (const name of expected[service.name] ?? []) expect(histograms, service.name).toContain(name);
      if (service.name === 'registry-guard') expect(families.map((family) => family.name)).toContain('lading_ledger_decisions_total');
    }
    await receiver.received(() => receiver.bodies.some((body) => body.path === '/v1/metrics'));
  });

  it('lets no canary value appear in any span, attribute, event, export or log', async () => {
    const forms = [...leakForms(secretCanary), ...leakForms(paramCanary)];
    for (const body of receiver.bodies) for (const form of forms) expect(body.body.includes(Buffer.from(form)), body.path).toBe(false);
    expect(JSON.stringify(receiver.spans)).not.toContain(secretCanary);
    expect(await filesContaining(home, forms)).toEqual([]);
    expect(installOutput).toContain('token=*******');
  });
});
