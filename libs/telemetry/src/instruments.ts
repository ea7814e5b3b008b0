import { metrics, type Counter, type Histogram, type MeterProvider, type ObservableGauge } from '@opentelemetry/api';

/** Seconds buckets from a millisecond to ten minutes: NATS calls sit low, runs and pulls high. */
const secondsBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const bytesBuckets = [256, 4096, 65_536, 1_048_576, 16_777_216, 268_435_456, 1_073_741_824];

/**
 * Every instrument Lading records, named once: the metric list in docs/observability.md follows
 * this table. Labels hold names and outcomes chosen by Lading's code, never a value or a secret name.
 */
export interface LadingInstruments {
  /** Each NATS endpoint handled: `messaging.destination.name`, `outcome` (ok or the error code). */
  endpointDuration: Histogram;
  /** Each NATS endpoint called: `messaging.destination.name`, `outcome`. */
  callDuration: Histogram;
  /** Each front-door request: `http.request.method`, `http.route`, `http.response.status_code`. */
  httpDuration: Histogram;
  /** Bytes through the front door: `http.request.method`, `http.route`, `direction` (request or response). */
  relayedBytes: Counter;
  httpBodySize: Histogram;
  /** Builds the builder finished: `outcome` (succeeded, failed). */
  buildsFinished: Counter;
  /** Runs the broker admitted onto the queue: `action`. */
  runsAdmitted: Counter;
  /** Runs a runner took and finished: `action`, and `outcome` for finished ones (succeeded, failed). */
  runsStarted: Counter;
  runsFinished: Counter;
  runDuration: Histogram;
  /** From the broker queueing a run to a runner taking it: `action`. */
  queueWait: Histogram;
  /** Runs admitted but not yet taken by a runner (observed from the queue's consumer). */
  queueLag: ObservableGauge;
  /** From asking the broker for a lease to holding it (runner side). */
  leaseDuration: Histogram;
  /** Leases the broker refused: `reason` (the refusal's code). */
  leaseRefusals: Counter;
  leasesGranted: Counter;
  /** Tag decisions of the guard's ledger: `outcome` (created, unchanged, forced, refused, …). */
  ledgerDecisions: Counter;
}

const cache = new WeakMap<MeterProvider, LadingInstruments>();

function create(provider: MeterProvider): LadingInstruments {
  const meter = provider.getMeter('lading');
  const seconds = (name: string, description: string) => meter.createHistogram(name, { unit: 's', description, advice: { explicitBucketBoundaries: secondsBuckets } });
  return {
    endpointDuration: seconds('lading.endpoint.duration', 'Time to handle a NATS endpoint request, by subject and outcome'),
    callDuration: seconds('lading.call.duration', 'Time of a NATS endpoint call made by this process, by subject and outcome'),
    httpDuration: seconds('http.server.request.duration', 'Time to serve a registry front-door request, by method, route and status'),
    relayedBytes: meter.createCounter('lading.front_door.relayed', { unit: 'By', description: 'Bytes relayed by the registry front door, by method, route and direction' }),
    httpBodySize: meter.createHistogram('http.server.response.body.size', { unit: 'By', description: 'Size of front-door response bodies', advice: { explicitBucketBoundaries: bytesBuckets } }),
    buildsFinished: meter.createCounter('lading.builds.finished', { description: 'Builds finished, by outcome' }),
    runsAdmitted: meter.createCounter('lading.run.admitted', { description: 'Runs the broker admitted onto the queue, by action' }),
    runsStarted: meter.createCounter('lading.run.started', { description: 'Runs a runner took, by action' }),
    runsFinished: meter.createCounter('lading.run.finished', { description: 'Runs finished, by action and outcome' }),
    runDuration: seconds('lading.run.duration', 'Time from a runner taking a run to its result being recorded, by action and outcome'),
    queueWait: seconds('lading.run.queue.wait', 'Time a run waited in the queue between admission and a runner taking it'),
    queueLag: meter.createObservableGauge('lading.run.queue.lag', { description: 'Runs admitted and not yet taken by a runner' }),
    leaseDuration: seconds('lading.lease.duration', 'Time from a runner asking for a lease to holding it, by outcome'),
    leaseRefusals: meter.createCounter('lading.lease.refusals', { description: 'Leases the broker refused, by reason' }),
    leasesGranted: meter.createCounter('lading.lease.granted', { description: 'Leases the broker granted' }),
    ledgerDecisions: meter.createCounter('lading.ledger.decisions', { description: 'Tag decisions of the guard ledger, by outcome' }),
  };
}

/** This process's instruments, on the meter provider initTelemetry registered. */
export function instruments(): LadingInstruments {
  const provider = metrics.getMeterProvider();
  let found = cache.get(provider);
  if (!found) {
    found = create(provider);
    cache.set(provider, found);
  }
  return found;
}

/** Seconds since `startMs` (a Date.now() or performance.now() reading of the same clock). */
export function secondsSince(startMs: number, now: number = performance.now()): number {
  return (now - startMs) / 1000;
}
