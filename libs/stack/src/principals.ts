import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { z } from 'zod';
import { adminPrincipal, everyNamespace, hasOwnName, namespaceSchema, principalNameSchema, serviceNames } from '@lading/contracts';
import { passwordVerifier, principalsFileSchema, type PrincipalsFile } from '@lading/service-kit';
import { writeCredentialsFile } from './credentials-file.js';
import { stackPaths, type StackPaths } from './layout.js';
import { ensurePrivateDir, writePrivateFile } from './private-files.js';
import { shareStackHome } from './hand-over-files.js';
import { CodedError } from '@lading/contracts/errors';

const passwordsSchema = z.record(principalNameSchema, z.string().min(1));

export interface PrincipalSummary {
  principal: string;
  namespaces: string[];
  credentialsFile: string;
}

/** What names no principal may take: they would read as a service in logs and audits. */
const reservedNames = new Set<string>(Object.keys(serviceNames));

async function readJson<T>(file: string, schema: z.ZodType<T>, fallback: T): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  }
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new CodedError('bad_configuration', `${file} is damaged: remove it and the principals it named with \`lading principals remove\``);
  return parsed.data;
}

export async function readPrincipalPasswords(paths: StackPaths): Promise<Record<string, string>> {
  return readJson(paths.principalPasswords, passwordsSchema, {});
}

export async function readPrincipals(paths: StackPaths): Promise<PrincipalsFile> {
  return readJson(paths.principalsFile, principalsFileSchema as z.ZodType<PrincipalsFile>, { principals: {} } as PrincipalsFile);
}

async function save(paths: StackPaths, principals: PrincipalsFile, passwords: Record<string, string>): Promise<void> {
  await ensurePrivateDir(paths.secretsDir);
  await writePrivateFile(paths.principalPasswords, `${JSON.stringify(passwords, null, 2)}\n`);
  await writePrivateFile(paths.principalsFile, `${JSON.stringify(principalsFileSchema.parse(principals), null, 2)}\n`);
  // The services read the principals file: rewriting it made it private again.
  await shareStackHome(paths);
}

/**
 * Makes sure the administrator exists (created on the first `lading up`, kept afterwards so
 * credentials files stay valid) and returns every principal's NATS password.
 */
export async function ensureAdministrator(paths: StackPaths): Promise<Record<string, string>> {
  const passwords = await readPrincipalPasswords(paths);
  const file = await readPrincipals(paths);
  if (passwords[adminPrincipal] && file.principals[adminPrincipal]) return passwords;
  const password = randomBytes(24).toString('base64url');
  passwords[adminPrincipal] = password;
  file.principals[adminPrincipal] = { namespaces: [everyNamespace], passwordVerifier: passwordVerifier(password) };
  await save(paths, file, passwords);
  return passwords;
}

/** Writes every principal's credentials file with where the stack now listens. */
export async function writeCredentialsFiles(
  paths: StackPaths,
  passwords: Record<string, string>,
  where: { natsUrl: string; frontDoor: string },
): Promise<void> {
  await ensurePrivateDir(paths.principalsDir);
  for (const [principal, password] of Object.entries(passwords)) {
    await writeCredentialsFile(paths.credentialsFile(principal), { principal, password, ...where });
  }
}

/** Checks a new principal's name and namespaces, in one sentence each. */
export function checkNewPrincipal(name: string, namespaces: readonly string[], existing: PrincipalsFile): void {
  const named = principalNameSchema.safeParse(name);
  if (!named.success) throw new CodedError('invalid_request', `the principal name ${JSON.stringify(name)} ${named.error.issues[0].message}`);
  if (reservedNames.has(name) || name === adminPrincipal) throw new CodedError('invalid_request', `the principal name ${name} is reserved: choose another`);
  if (hasOwnName(existing.principals, name)) throw new CodedError('conflict', `the principal ${name} exists already: remove it first to give it new credentials`);
  if (namespaces.length === 0) throw new CodedError('invalid_request', 'a principal needs at least one --namespace');
  for (const namespace of namespaces) {
    const parsed = namespaceSchema.safeParse(namespace);
    if (!parsed.success) throw new CodedError('invalid_request', `the namespace ${JSON.stringify(namespace)} ${parsed.error.issues[0].message}`);
  }
}

/** Adds a principal: its password, its verifier for the services, and its credentials file. */
export async function addPrincipal(
  home: string,
  name: string,
  namespaces: readonly string[],
  where: { natsUrl: string; frontDoor: string },
): Promise<PrincipalSummary> {
  const paths = stackPaths(home);
  const passwords = await ensureAdministrator(paths);
  const file = await readPrincipals(paths);
  checkNewPrincipal(name, namespaces, file);
  const password = randomBytes(24).toString('base64url');
  passwords[name] = password;
  file.principals[name] = { namespaces: [...new Set(namespaces)], passwordVerifier: passwordVerifier(password) };
  await save(paths, file, passwords);
  await ensurePrivateDir(paths.principalsDir);
  await writeCredentialsFile(paths.credentialsFile(name), { principal: name, password, ...where });
  return { principal: name, namespaces: file.principals[name].namespaces, credentialsFile: paths.credentialsFile(name) };
}

export async function removePrincipal(home: string, name: string): Promise<void> {
  const paths = stackPaths(home);
  if (name === adminPrincipal) throw new CodedError('invalid_request', `the ${adminPrincipal} principal cannot be removed`);
  const passwords = await readPrincipalPasswords(paths);
  const file = await readPrincipals(paths);
  if (!hasOwnName(file.principals, name)) throw new CodedError('not_found', `no principal is called ${name}: \`lading principals list\` shows them`);
  delete passwords[name];
  delete file.principals[name];
  await save(paths, file, passwords);
  await rm(paths.credentialsFile(name), { force: true });
}

export async function listPrincipals(home: string): Promise<PrincipalSummary[]> {
  const paths = stackPaths(home);
  const file = await readPrincipals(paths);
  return Object.entries(file.principals).map(([principal, entry]) => ({
    principal,
    namespaces: entry.namespaces,
    credentialsFile: paths.credentialsFile(principal),
  }));
}
