import { runStatus, type RunState } from '@lading/contracts';

/**
 * A run record as a runner writes it just before asking for its lease: taken by `runner-1`,
 * `starting`, naming the credential set `demo-creds`. The broker decides leases from its own
 * admissions, never from this record: tests use it as what a forger could write.
 */
export function startingRunState(runId: string, overrides: Partial<RunState> = {}): RunState {
  const now = new Date().toISOString();
  return {
    runId,
    installation: 'demo',
    namespace: '',
    action: 'install',
    status: runStatus.starting,
    runnerId: 'runner-1',
    credentialSets: [{ name: 'demo-creds', namespace: '' }],
    parameterSets: [],
    bundleReference: `127.0.0.1:5000/demo@sha256:${'0'.repeat(64)}`,
    updatedAt: now,
    ...overrides,
  };
}
