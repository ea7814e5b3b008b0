import { defineConfig } from 'vitest/config';

/**
 * The inner run of cleanup-after-failure.test.ts: only the suites here, which fail on purpose.
 * Not picked up by the project's own run (their names do not end in .test.ts).
 */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.inner.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
