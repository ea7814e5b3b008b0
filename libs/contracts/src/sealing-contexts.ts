/**
 * The context bound into every sealed box (HKDF info and AES-GCM additional data). A box sealed
 * for one purpose cannot be replayed for another: a lease for run A does not open as run B's.
 */
export const sealingContexts = {
  secretValue: (name: string) => `lading/secret/${name}`,
  lease: (runId: string) => `lading/lease/${runId}`,
  /** A run's `--param` values and caller-resolved sources, sealed by the CLI to the broker. */
  runInput: (runId: string) => `lading/run-input/${runId}`,
  output: (runId: string, output: string) => `lading/output/${runId}/${output}`,
  /** A sensitive output handed to the CLI that asked for it (sealed to the CLI's one-call key). */
  outputShow: (installation: string, output: string) => `lading/output-show/${installation}/${output}`,
  /** A `value` source of a credential or parameter set, sealed by the CLI before `apply`. */
  setValue: (kind: string, namespace: string, set: string, entry: string) => `lading/set-value/${kind}/${namespace}/${set}/${entry}`,
} as const;
