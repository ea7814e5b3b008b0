/**
 * What OTLP export costs a user: the wall time of `lading install` on a stack exporting traces and
 * metrics to an OTLP/HTTP receiver (every process: CLI and the four services) against an
 * identical stack with nothing configured, both started by `lading up` in the same run and
 * installed in turn.
 *
 *   npx tsx tools/bench/install-otel.ts
 *   LADING_BENCH_INSTALLS=10 npx tsx tools/bench/install-otel.ts
 */
import { startOtlpReceiver } from '../../apps/cli/test/support/otlp-receiver.js';
import { InstallStack, median, positiveInteger } from './install-stack.js';

const installs = positiveInteger('LADING_BENCH_INSTALLS', 5);

function report(samples: Map<string, number[]>, spans: number): void {
  const [on, off] = [...samples.values()];
  for (const [label, times] of samples) console.log(`${label.padEnd(12)} installs ${times.length}  median ${median(times).toFixed(0)} ms  min ${Math.min(...times).toFixed(0)} ms`);
  console.log(
    `\nexport on / off: ${(median(on) / median(off)).toFixed(3)}x at the median, ${(Math.min(...on) / Math.min(...off)).toFixed(3)}x at the minimum ` +
      `(${spans} spans received)`,
  );
}

async function main(): Promise<void> {
  const receiver = await startOtlpReceiver();
  const stacks = new Map([
    ['export on', new InstallStack({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' })],
    ['export off', new InstallStack({})],
  ]);
  const stop = async () => {
    for (const stack of stacks.values()) await stack.down();
    await receiver.close();
  };
  const stopOnSignal = (signal: NodeJS.Signals) => {
    console.error(`${signal}: stopping the stacks`);
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    console.log(`OTLP export benchmark: ${installs} installs on each stack, alternating, after one unmeasured install on each`);
    const references = new Map<string, string>();
    for (const [label, stack] of stacks) {
      await stack.up();
      references.set(label, await stack.publish('bench-traced', false));
    }
    // The first run on each stack pulls the invocation image into Docker; that is not export's cost.
    for (const [label, stack] of stacks) await stack.timeInstall('warmup', references.get(label) ?? '', []);
    const samples = new Map<string, number[]>([...stacks.keys()].map((label) => [label, []]));
    for (let round = 0; round < installs; round++) {
      for (const [label, stack] of stacks) samples.get(label)?.push(await stack.timeInstall(`bench-${round}`, references.get(label) ?? '', []));
    }
    report(samples, receiver.spans.length);
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(`OTLP export benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
