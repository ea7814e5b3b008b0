import { describe, expect, it } from 'vitest';
import { parseTagKey, tagKey } from './tag-key.js';

describe('tag ledger keys', () => {
  it('uses only characters NATS KV keys allow, and decodes back', () => {
    const key = tagKey('registry.example/team/app-name_x', 'v1.2.3-rc_1');
    expect(key).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(parseTagKey(key)).toEqual({ repository: 'registry.example/team/app-name_x', tag: 'v1.2.3-rc_1' });
  });

  it('gives different repository/tag splits different keys', () => {
    expect(tagKey('a/b', 'c')).not.toBe(tagKey('a', 'b:c'));
  });
});
