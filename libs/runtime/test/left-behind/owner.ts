import type { ContainerOwner } from '../../src/index.js';

/** The outer test hands the inner run the owner to label its containers with, so it can look for them afterwards. */
export const innerOwnerVariables = { runnerId: 'LADING_TEST_INNER_RUNNER', stackId: 'LADING_TEST_INNER_STACK' } as const;

export function innerOwnerEnv(owner: ContainerOwner): Record<string, string> {
  return { [innerOwnerVariables.runnerId]: owner.runnerId, [innerOwnerVariables.stackId]: owner.stackId };
}

export function innerOwnerFromEnv(): ContainerOwner {
  const runnerId = process.env[innerOwnerVariables.runnerId];
  const stackId = process.env[innerOwnerVariables.stackId];
  if (!runnerId || !stackId) throw new Error(`run this suite through cleanup-after-failure.test.ts, which sets ${Object.values(innerOwnerVariables).join(' and ')}`);
  return { runnerId, stackId };
}

/** What the inner test prints once its container runs, so the outer test knows which one to look for. */
export const runningLine = (containerId: string) => `bundle container ${containerId} is running`;
export const runningPattern = /bundle container ([0-9a-f]{64}) is running/;
export const deliberateFailure = 'deliberately failed while its bundle container runs';
