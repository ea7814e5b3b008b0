import { describe, expect, it } from 'vitest';
import { digestReferenceSchema, digestSchema } from './internal.js';

const digest = `sha256:${'a'.repeat(64)}`;

// The run request's reference is read by the OCI grammar, as the runner and the registry read it;
// the schema's own regex used to take each of these the other way.
describe('digestReferenceSchema', () => {
  it.each([
    `Registry.Example.com/app@${digest}`,
    `[::1]:5000/team/app@${digest}`,
    `localhost/app@${digest}`,
  ])('accepts %s, a host the grammar allows', (reference) => {
    expect(digestReferenceSchema.safeParse(reference).success).toBe(true);
  });

  it.each([
    [`demo/hello@${digest}`, 'no registry host: demo is a path'],
    [`127.0.0.1:5000/a//b@${digest}`, 'an empty component'],
    [`127.0.0.1:5000/a/../b@${digest}`, 'a ".." component'],
    [`127.0.0.1:5000/-a@${digest}`, 'a leading separator'],
    [`127.0.0.1:5000/app:v1@${digest}`, 'a tag next to the digest'],
    [`127.0.0.1:5000/app@sha256:${'A'.repeat(64)}`, 'uppercase hex'],
  ])('refuses %s (%s)', (reference) => {
    const attempt = digestReferenceSchema.safeParse(reference);
    expect(attempt.success).toBe(false);
    expect(attempt.error?.issues[0]?.message).toBe('must be a reference by digest (host/repository@sha256:…)');
  });

  it('reads a digest as the same rule does', () => {
    expect(digestSchema.safeParse(digest).success).toBe(true);
    expect(digestSchema.safeParse(`sha256:${'a'.repeat(63)}`).success).toBe(false);
  });
});
