import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultHome, rootStackHome } from '../src/internal.js';

describe('the default stack home', () => {
  it('is /var/lib/lading for root, where the stack’s own users can reach it (unlike /root, 0700)', () => {
    expect(defaultHome({}, 0)).toBe('/var/lib/lading');
    expect(rootStackHome).toBe('/var/lib/lading');
  });

  it('is ~/.lading for everyone else', () => {
    expect(defaultHome({}, 1000)).toBe(join(homedir(), '.lading'));
  });

  it('is LADING_HOME whoever asks', () => {
    expect(defaultHome({ LADING_HOME: '/srv/stack' }, 0)).toBe('/srv/stack');
    expect(defaultHome({ LADING_HOME: '/srv/stack' }, 1000)).toBe('/srv/stack');
  });

  it('ignores an empty LADING_HOME', () => {
    expect(defaultHome({ LADING_HOME: '' }, 0)).toBe('/var/lib/lading');
  });
});
