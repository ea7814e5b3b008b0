import { basename } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * One test configuration for every project. Integration suites start real servers and
 * containers, so limits are generous; there are no retries. When
 * LADING_TEST_REPORT_DIR is set (tools/test.sh), each project also writes a JSON report that the
 * summary line is made from.
 */
export function projectTestConfig(projectDir: string) {
  const reportDir = process.env.LADING_TEST_REPORT_DIR;
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 180_000,
      hookTimeout: 180_000,
      // Files and tests run shuffled, so that every run keeps proving that no test leans on the
      // ones before it. The seed is printed ("Running tests with seed N"); `--sequence.seed=N`
      // replays that order. Suites that are one scenario in steps say so with
      // `describe(name, { shuffle: false }, …)` and keep their order.
      sequence: { shuffle: true },
      reporters: reportDir ? ['default', ['json', { outputFile: `${reportDir}/${basename(projectDir)}.json` }]] : ['default'],
    },
  });
}
