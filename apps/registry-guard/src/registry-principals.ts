import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ownValue } from '@lading/contracts';
import { namespaceAccess, principalFromVerifiers, type PrincipalFrom, type RegistryAccess } from '@lading/guard';
import { PrincipalsFileReader } from '@lading/service-kit';
import { guardSettings, SettingError, type SettingValues } from '@lading/service-kit/settings';

/** LADING_GUARD_CONTENT_PUSHERS_FILE: services that push content by digest (name → scrypt verifier). */
const contentPushersSchema = z.record(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/), z.string().min(1));

function readContentPushers(file: string | undefined): Record<string, string> {
  if (!file) return {};
  const parsed = contentPushersSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new SettingError(guardSettings.contentPushersFile.name, `${file} must map service names to password verifiers.`);
  return parsed.data;
}

/**
 * Who may use the front door: the principals of the principals file (LADING_PRINCIPALS_FILE,
 * read again when it changes) log in with their passwords and push into their namespaces; the
 * content pushers may push by digest only; anyone may read unless LADING_GUARD_ANONYMOUS_READ=false.
 */
export function registryPrincipals(
  settings: Pick<SettingValues<typeof guardSettings>, 'contentPushersFile' | 'anonymousRead'>,
  principalsFile: string | undefined,
): { principalFrom: PrincipalFrom; access: RegistryAccess } {
  const reader = principalsFile ? new PrincipalsFileReader(principalsFile) : undefined;
  const pushers = readContentPushers(settings.contentPushersFile);
  // A principals file being rewritten, or broken, lets no one in until it reads well again.
  const principal = (name: string) => {
    try {
      return ownValue(reader?.current().principals, name);
    } catch {
      return undefined;
    }
  };
  return {
    principalFrom: principalFromVerifiers((name) => (ownValue(pushers, name) ?? principal(name)?.passwordVerifier)),
    access: namespaceAccess({
      namespacesOf: (name) => principal(name)?.namespaces,
      contentPushers: new Set(Object.keys(pushers)),
      anonymousRead: settings.anonymousRead,
    }),
  };
}

/**
 * The key registry tokens are signed with. Replicas behind one address must accept each other's
 * tokens, so it is derived from the secret they already share, the upstream password; without
 * one (a single guard in a test), a random key.
 */
export function tokenKey(upstreamAuth: { password: string } | undefined): Buffer {
  return upstreamAuth ? createHmac('sha256', upstreamAuth.password).update('lading registry tokens').digest() : randomBytes(32);
}
