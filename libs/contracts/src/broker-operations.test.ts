import { describe, expect, it } from 'vitest';
import { endpoints, sealingContexts } from './index.js';

describe('broker operations', () => {
  it('binds a shown output to its installation and output, apart from the stored box', () => {
    expect(sealingContexts.outputShow('demo', 'token')).not.toBe(sealingContexts.outputShow('demo', 'other'));
    expect(sealingContexts.outputShow('demo', 'token')).not.toBe(sealingContexts.output('demo', 'token'));
  });

  it('refuses an output request for a name that is not an installation', () => {
    const attempt = endpoints.outputsShow.request.safeParse({ installation: '../x', output: 'token', publicKey: 'AAAA' });
    expect(attempt.success).toBe(false);
  });

  it('asks the audit for a bounded list of runs', () => {
    expect(endpoints.leaseAudit.request.safeParse({ runIds: Array.from({ length: 501 }, (_, i) => `r${i}`) }).success).toBe(false);
    expect(endpoints.leaseAudit.request.safeParse({ runIds: ['abc'] }).success).toBe(true);
  });
});
