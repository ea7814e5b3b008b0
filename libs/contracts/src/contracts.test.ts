import { describe, expect, it } from 'vitest';
import { endpoints, runRequestSchema, subjects } from './index.js';

describe('contracts', () => {
  it('names every endpoint subject under lading.', () => {
    for (const endpoint of Object.values(endpoints)) expect(endpoint.subject).toMatch(/^lading\.[a-z.]+$/);
  });

  it('gives every endpoint its own subject', () => {
    const all = Object.values(endpoints).map((endpoint) => endpoint.subject);
    expect(new Set(all).size).toBe(all.length);
  });

  it('refuses a run request whose bundle is a tag, not a digest', () => {
    const attempt = runRequestSchema.safeParse({
      runId: 'a'.repeat(20),
      installation: 'demo',
      action: 'install',
      bundleReference: '127.0.0.1:5000/demo:v0.1.0',
      requestedAt: new Date().toISOString(),
      submittedBy: 'admin',
    });
    expect(attempt.success).toBe(false);
  });

  it('accepts a run request by digest', () => {
    const attempt = runRequestSchema.safeParse({
      runId: 'a'.repeat(20),
      installation: 'demo',
      action: 'install',
      bundleReference: `127.0.0.1:5000/demo@sha256:${'0'.repeat(64)}`,
      requestedAt: new Date().toISOString(),
      submittedBy: 'admin',
    });
    expect(attempt.success).toBe(true);
  });

  it('scopes run events per principal and run', () => {
    expect(subjects.runs.events('alice', 'abc')).toBe('lading.runs.events.alice.abc');
    expect(subjects.runs.events('alice', 'abc').startsWith(subjects.runs.eventsOf('alice').slice(0, -1))).toBe(true);
  });
});
