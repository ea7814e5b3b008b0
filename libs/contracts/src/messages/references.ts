import { isDigest, splitReference } from '../reference-grammar.js';
import { z } from 'zod';

/** `host[:port]/repository@sha256:<64 hex>` by the OCI grammar: the only form a run accepts. */
export const digestReferenceSchema = z.string().refine((text) => {
  const parts = splitReference(text);
  return typeof parts !== 'string' && parts.registry !== undefined && parts.tag === undefined && parts.digest !== undefined;
}, 'must be a reference by digest (host/repository@sha256:…)');

export const digestSchema = z.string().refine(isDigest, 'must be a sha256 digest');

/** Names of installations and sets: one KV key token, safe as a file name. */
export const resourceNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, 'must be 1-128 letters, digits, "_" or "-", starting with a letter or digit');

/** Names of secrets in a store; dots allowed for run-scoped names like `run.<id>.param.<name>`. */
export const secretNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,190}$/, 'must be letters, digits, ".", "_" or "-", starting with a letter or digit')
  .refine((name) => !name.includes('..'), 'must not contain ".."');

export const namespaceSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{0,63}$/, 'must be up to 63 letters, digits, "_" or "-"')
  .default('');
