import { describe, expect, it } from 'vitest';
import { formatReference, OciError, parseReference } from '../src/internal.js';

const digest = `sha256:${'a'.repeat(64)}`;

describe('parseReference', () => {
  it('parses host, repository, tag and digest', () => {
    expect(parseReference('127.0.0.1:5000/demo/hello:v0.1.0')).toEqual({ registry: '127.0.0.1:5000', repository: 'demo/hello', tag: 'v0.1.0' });
    expect(parseReference(`registry.example.com/app@${digest}`)).toEqual({ registry: 'registry.example.com', repository: 'app', digest });
    expect(parseReference(`localhost/a/b:c@${digest}`)).toEqual({ registry: 'localhost', repository: 'a/b', tag: 'c', digest });
    expect(parseReference('localhost:5000/a_b/c-d.e')).toEqual({ registry: 'localhost:5000', repository: 'a_b/c-d.e' });
  });

  it('formats back to the same text', () => {
    for (const text of ['127.0.0.1:5000/demo/hello:v0.1.0', `host.io/repo@${digest}`, `host.io/repo:t@${digest}`]) {
      expect(formatReference(parseReference(text))).toBe(text);
    }
  });

  it.each([
    ['', 'empty'],
    ['demo/hello:v1', 'no registry host'],
    ['hello', 'no registry host'],
    ['127.0.0.1:5000/Demo/Hello:v1', 'uppercase repository'],
    ['127.0.0.1:5000/demo/../etc:v1', 'dot-dot component'],
    ['127.0.0.1:5000/demo//hello', 'empty component'],
    ['127.0.0.1:5000/demo/hello:', 'empty tag'],
    ['127.0.0.1:5000/demo/hello:v1!', 'bad tag'],
    ['127.0.0.1:5000/demo/hello@sha256:abc', 'short digest'],
    [`127.0.0.1:5000/demo/hello@sha512:${'a'.repeat(128)}`, 'other algorithm'],
    [`127.0.0.1:5000/demo/hello@sha256:${'A'.repeat(64)}`, 'uppercase hex'],
    ['127.0.0.1:5000/demo hello', 'whitespace'],
    ['ho$t.io/demo', 'bad host chars'],
  ])('rejects %j (%s) with one clear error naming it', (text) => {
    let caught: unknown;
    try {
      parseReference(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OciError);
    expect((caught as OciError).reason).toBe('BAD_REFERENCE');
    expect((caught as OciError).message).toContain(`"${text}"`);
    expect((caught as OciError).message).not.toContain('\n');
  });
});
