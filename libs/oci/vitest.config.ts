import { defineConfig } from 'vitest/config';

// Integration suites start real servers and containers: generous limits, no retries.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    passWithNoTests: false,
  },
});
