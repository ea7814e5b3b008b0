import { projectTestConfig } from '../../../../vitest.shared.js';

const project = projectTestConfig(`${import.meta.dirname}/../..`);

/**
 * The inner run of cleanup-after-failure.test.ts: the project's settings (how sources resolve,
 * limits), but only the suites here, which fail on purpose. The project's own run does not pick
 * them up: their names do not end in .test.ts.
 */
export default {
  ...project,
  test: { ...project.test, root: import.meta.dirname, include: ['*.inner.ts'] },
};
