import { basename } from 'node:path';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Tests run from TypeScript sources: each Lading library exports its sources under this
 * condition (and its compiled dist by default). Processes a test starts with `--import tsx`
 * inherit the condition through NODE_OPTIONS, so they read the same sources.
 */
const sourceCondition = '@lading/source';
if (!process.env.NODE_OPTIONS?.includes(`--conditions=${sourceCondition}`)) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --conditions=${sourceCondition}`.trim();
}

/**
 * One test configuration for every project. Integration suites start real servers and
 * containers, so limits are generous; there are no retries. When
 * LADING_TEST_REPORT_DIR is set (tools/test.sh), each project also writes a JSON report that the
 * summary line is made from.
 */
export function projectTestConfig(projectDir: string) {
  const reportDir = process.env.LADING_TEST_REPORT_DIR;
  return defineConfig({
    // Vitest leaves out "module" (packages' untranspiled ESM entries) when it resolves for Node.
    ssr: { resolve: { conditions: [sourceCondition, ...defaultServerConditions.filter((name) => name !== 'module')] } },
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
