/**
 * What one just-in-time secret costs a user: the wall time of `lading install` for a bundle that
 * needs one credential (resolved from the built-in store, leased, delivered as env) against the
 * same bundle with no credential, on a whole stack started by `lading up`.
 *
 *   NODE_OPTIONS=--conditions=@lading/source npx tsx tools/bench/install-secret.ts
 *   LADING_BENCH_INSTALLS=10 NODE_OPTIONS=--conditions=@lading/source npx tsx tools/bench/install-secret.ts
 */
import { credentialSetName, InstallStack, median, positiveInteger, type BenchBundle } from './install-stack.js';

const installs = positiveInteger('LADING_BENCH_INSTALLS', 5);

function report(samples: Map<string, number[]>): void {
  const [withSecret, without] = [...samples.values()];
  const rows = [...samples.entries()].map(([label, times]) => [label, String(times.length), median(times).toFixed(0), Math.min(...times).toFixed(0)]);
  const header = ['bundle', 'installs', 'median ms', 'min ms'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  const medianDifference = median(withSecret) - median(without);
  const minDifference = Math.min(...withSecret) - Math.min(...without);
  console.log(
    `\none secret costs ${medianDifference.toFixed(0)} ms at the median (${(median(withSecret) / median(without)).toFixed(2)}x), ` +
      `${minDifference.toFixed(0)} ms at the minimum (${(Math.min(...withSecret) / Math.min(...without)).toFixed(2)}x)`,
  );
}

async function main(): Promise<void> {
  const bench = new InstallStack();
  const stopOnSignal = (signal: NodeJS.Signals) => {
    console.error(`${signal}: stopping the stack`);
    void bench.down().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    console.log(`install benchmark: ${installs} installs of each bundle, alternating, after one unmeasured install of each`);
    await bench.up();
    const bundles: Array<BenchBundle & { reference: string }> = [];
    for (const bundle of [
      { label: 'one secret (env)', name: 'bench-with-secret', installArgs: ['--cred', credentialSetName] },
      { label: 'no secret', name: 'bench-without-secret', installArgs: [] },
    ]) {
      bundles.push({ ...bundle, reference: await bench.publish(bundle.name, bundle.installArgs.length > 0) });
    }
    await bench.storeCredential();

    // The first run of each bundle pulls its invocation image into Docker; that is not the secret's cost.
    for (const bundle of bundles) await bench.timeInstall(`${bundle.name}-warmup`, bundle.reference, bundle.installArgs);
    const samples = new Map<string, number[]>(bundles.map((bundle) => [bundle.label, []]));
    for (let round = 0; round < installs; round++) {
      for (const bundle of bundles) {
        samples.get(bundle.label)?.push(await bench.timeInstall(`${bundle.name}-${round}`, bundle.reference, bundle.installArgs));
      }
    }
    report(samples);
  } finally {
    await bench.down();
  }
}

main().catch((error: unknown) => {
  console.error(`install benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
