/**
 * Docker labels Lading puts on every bundle container and run network. The runner and stack
 * labels together say whose leftovers a starting runner may remove: a runner id alone can repeat
 * across stacks sharing one Docker host.
 */
export const bundleLabels = {
  run: 'sh.lading.run',
  installation: 'sh.lading.installation',
  runner: 'sh.lading.runner',
  stack: 'sh.lading.stack',
} as const;

/** The runner, and the stack it belongs to, that owns a bundle container and its network. */
export interface ContainerOwner {
  runnerId: string;
  stackId: string;
}

export function ownerLabels(owner: ContainerOwner): Record<string, string> {
  return { [bundleLabels.runner]: owner.runnerId, [bundleLabels.stack]: owner.stackId };
}
