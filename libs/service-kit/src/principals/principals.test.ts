import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headers } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerInfoHeader, natsAccounts } from '@lading/contracts';
import { assertNamespace, callerOf, principalDirectory } from './caller.js';
import { passwordVerifier, verifyPassword } from './password-verifier.js';
import { PrincipalsFileReader, parsePrincipalsFile } from './principals-file.js';

function stamped(account: string, user: string) {
  const h = headers();
  h.set(callerInfoHeader, JSON.stringify({ acc: account, user }));
  return h;
}

describe('principals', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lading-principals-'));
    file = join(dir, 'principals.json');
    const verifier = passwordVerifier('pw');
    await writeFile(
      file,
      JSON.stringify({
        principals: { admin: { namespaces: ['*'], passwordVerifier: verifier }, alice: { namespaces: ['team-a'], passwordVerifier: verifier } },
      }),
    );
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('takes the caller from the stamp of the people account only', () => {
    const directory = principalDirectory(new PrincipalsFileReader(file));
    expect(callerOf(stamped(natsAccounts.people, 'alice'), directory)).toEqual({ principal: 'alice', namespaces: ['team-a'], admin: false });
    expect(callerOf(stamped(natsAccounts.services, 'alice'), directory)).toBeUndefined();
    expect(callerOf(undefined, directory)).toBeUndefined();
    expect(() => callerOf(stamped(natsAccounts.people, 'mallory'), directory)).toThrow(/not known/);
  });

  it('lets a principal use only its namespaces, the administrator every one', () => {
    const directory = principalDirectory(new PrincipalsFileReader(file));
    const alice = callerOf(stamped(natsAccounts.people, 'alice'), directory);
    const admin = callerOf(stamped(natsAccounts.people, 'admin'), directory);
    expect(assertNamespace(alice, 'team-a').principal).toBe('alice');
    expect(() => assertNamespace(alice, 'team-b')).toThrow('the principal alice may not use the namespace "team-b"');
    expect(() => assertNamespace(alice, '')).toThrow(/may not use/);
    expect(assertNamespace(admin, 'anything').admin).toBe(true);
    expect(() => assertNamespace(undefined, 'team-a')).toThrow(/must come from a principal/);
  });

  it('knows only the administrator without a principals file', () => {
    const directory = principalDirectory(undefined);
    expect(callerOf(stamped(natsAccounts.people, 'admin'), directory)?.admin).toBe(true);
    expect(() => callerOf(stamped(natsAccounts.people, 'alice'), directory)).toThrow(/not known/);
  });

  it('verifies passwords against scrypt verifiers and never a malformed one', () => {
    const verifier = passwordVerifier('correct horse');
    expect(verifyPassword('correct horse', verifier)).toBe(true);
    expect(verifyPassword('wrong', verifier)).toBe(false);
    expect(verifyPassword('correct horse', 'plain$text')).toBe(false);
    expect(verifier).not.toContain('correct');
  });

  it('refuses a principals file without the administrator or with a bad name, in one sentence', () => {
    expect(() => parsePrincipalsFile('{"principals":{}}', 'p.json')).toThrow(/p.json is not a valid principals file: .*admin/);
    expect(() => parsePrincipalsFile('{"principals":{"Bad Name":{"namespaces":["a"],"passwordVerifier":"x"}}}', 'p.json')).toThrow(
      /not a valid principals file/,
    );
    expect(() => parsePrincipalsFile('nope', 'p.json')).toThrow('p.json is not JSON');
  });
});
