/**
 * A principal may be called `constructor` (lower-case letters are all the name grammar asks
 * for): the principals file is read by its own names, so that name is neither taken already nor
 * there to remove before it was added.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPrincipal, listPrincipals, prepareStackHome, removePrincipal } from '../src/internal.js';

const where = { natsUrl: 'nats://127.0.0.1:1', frontDoor: '127.0.0.1:1' };

describe('principals named like what objects lend from their prototype', () => {
  let dir: string;
  let home: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lading-principal-names-'));
    home = join(dir, 'home');
    await prepareStackHome(home);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('adds and removes a principal called constructor, and finds none of that name before one is added', async () => {
    await expect(removePrincipal(home, 'constructor')).rejects.toMatchObject({ code: 'not_found' });
    await expect(addPrincipal(home, 'constructor', ['team-a'], where)).resolves.toMatchObject({ principal: 'constructor', namespaces: ['team-a'] });
    expect((await listPrincipals(home)).map(({ principal }) => principal)).toContain('constructor');
    await expect(addPrincipal(home, 'constructor', ['team-b'], where)).rejects.toMatchObject({ code: 'conflict' });
    await removePrincipal(home, 'constructor');
    expect((await listPrincipals(home)).map(({ principal }) => principal)).not.toContain('constructor');
  });
});
