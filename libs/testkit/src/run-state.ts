import type { RunState } from '@lading/contracts';

/**
 * A run as the runner records it just before asking for its lease: claimed by `runner-1`,
 * `starting`, drawing `api-token` from the credential set `demo-creds`. Tests of the lease path
 * change what they need through `overrides`.
 */
export function startingRunState(runId: string, overrides: Partial<RunState> = {}): RunState {
  const now = new Date().toISOString();
  return {
    runId,
    installation: 'demo',
    namespace: '',
    action: 'install',
    status: 'starting',
    runnerId: 'runner-1',
    credentialSets: [{ name: 'demo-creds', namespace: '' }],
    parameterSets: [],
    sensitiveParameterSecrets: {},
    wantedCredentials: [{ name: 'api-token', required: true }],
    wantedParameters: [],
    bundleReference: `127.0.0.1:5000/demo@sha256:${'0'.repeat(64)}`,
    claim: { created: now },
    updatedAt: now,
    ...overrides,
  };
}
