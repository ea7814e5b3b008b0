/**
 * What a runner signs with its registered Ed25519 key. Each statement names its purpose, so a
 * signature given for one (a claim) cannot be replayed as another (a lease request).
 */
export const signedStatements = {
  claim: (runId: string, runnerId: string) => `lading/claim/${runId}/${runnerId}`,
  heartbeat: (runId: string, runnerId: string) => `lading/heartbeat/${runId}/${runnerId}`,
  finish: (runId: string, runnerId: string) => `lading/finish/${runId}/${runnerId}`,
  /** Binds the one-time X25519 key the lease is sealed to, so nobody can swap it. */
  lease: (runId: string, runnerId: string, publicKey: string) => `lading/lease/${runId}/${runnerId}/${publicKey}`,
} as const;
