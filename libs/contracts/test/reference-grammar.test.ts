import { describe, expect, it } from 'vitest';
import { familiarName, splitReference } from '../src/reference-grammar.js';

const digest = `sha256:${'a'.repeat(64)}`;

// Cases on which Lading's earlier parsers disagreed; each now reads as the OCI distribution grammar says.
describe('splitReference', () => {
  it.each([
    [`Registry.Example.com/app@${digest}`, { registry: 'Registry.Example.com', repository: 'app', digest }, 'hosts are case-insensitive DNS names'],
    [`[::1]:5000/app@${digest}`, { registry: '[::1]:5000', repository: 'app', digest }, 'an IPv6 host in brackets'],
    [`localhost/app:1`, { registry: 'localhost', repository: 'app', tag: '1' }, 'localhost is a host without dot or port'],
    [`demo/hello@${digest}`, { repository: 'demo/hello', digest }, 'a first component without dot or port is a path (Docker Hub), not a host'],
    ['registry.io/a__b/c--d/e.f:1', { registry: 'registry.io', repository: 'a__b/c--d/e.f', tag: '1' }, 'the separators the grammar allows'],
  ])('reads %s', (text, parts, _why) => {
    expect(splitReference(text)).toEqual(parts);
  });

  it.each([
    ['registry.io/a//b:1', 'an empty path component'],
    ['registry.io/a/../b:1', 'a ".." component'],
    ['registry.io/-a:1', 'a component starting with a separator'],
    ['registry.io/a..b:1', 'two dots in a row'],
    ['registry.io/a._b:1', 'mixed separators'],
    ['registry.io/App:1', 'an uppercase path'],
    [`registry.io/app@sha256:${'A'.repeat(64)}`, 'uppercase hex'],
    [`registry.io/app@sha256:${'a'.repeat(63)}`, 'a short digest'],
    ['registry.io:123456/app:1', 'a port of more than five digits'],
  ])('refuses %s (%s) with a reason', (text) => {
    expect(typeof splitReference(text)).toBe('string');
  });
});

describe('familiarName', () => {
  it('shortens Docker Hub names as Docker shows them and leaves every other registry alone', () => {
    expect(familiarName('docker.io/library/busybox')).toBe('busybox');
    expect(familiarName('index.docker.io/team/app')).toBe('team/app');
    expect(familiarName('library/busybox')).toBe('library/busybox');
    expect(familiarName('registry.io/library/busybox')).toBe('registry.io/library/busybox');
  });
});
