import { describe, expect, it } from 'vitest';
import { endpoints, isTerminalRunStatus, runStateSchema, runStatus } from '../src/index.js';

const state = {
  runId: 'r1',
  installation: 'demo',
  namespace: '',
  action: 'install',
  status: runStatus.pending,
  credentialSets: [],
  parameterSets: [],
  bundleReference: 'x',
  updatedAt: new Date(0).toISOString(),
};

describe('messages that carry CNAB documents', () => {
  it('read a run record written before its claim existed (`claim: {}`) as one without a claim', () => {
    expect(runStateSchema.parse({ ...state, claim: {} }).claim).toBeUndefined();
    expect(runStateSchema.parse(state).claim).toBeUndefined();
  });

  it('refuse a document that is not a JSON object, naming the kind of document', () => {
    for (const claim of ['a claim', 42, [{ id: 'x' }], null]) {
      const parsed = runStateSchema.safeParse({ ...state, claim });
      expect(parsed.success, JSON.stringify(claim)).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(/CNAB claim document/);
    }
    expect(endpoints.publish.request.safeParse({ bundle: 'bundle.json', tag: 'r/x:1' }).success).toBe(false);
  });

  it('name the statuses a run never leaves', () => {
    expect([runStatus.succeeded, runStatus.failed].every(isTerminalRunStatus)).toBe(true);
    expect([runStatus.pending, runStatus.starting, runStatus.running].some(isTerminalRunStatus)).toBe(false);
  });
});
