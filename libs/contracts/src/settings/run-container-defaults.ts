/**
 * What a bundle's container gets when the operator says nothing: the runner's settings table shows
 * these as its defaults (LADING_RUN_CPUS, LADING_RUN_NETWORK_POOL, LADING_RUN_EGRESS) and libs/runtime
 * applies them, so the two cannot drift apart. Here because both read them and neither may import the other.
 */
export const runContainerDefaults = {
  /** One CPU: a bundle cannot starve the runner or other runs on a small host. */
  cpus: 1,
  /** Two ahead: a run that follows another at once still finds one made while the first is being replaced. */
  networkPool: 2,
  /** Bundles deploy to clouds: they reach the network unless the operator says `off`. */
  egress: 'on',
} as const;
