import { z } from 'zod';

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The message field that carries a CNAB document of type `T`. On the wire it is checked to be a JSON
 * object and typed as `T`; the full check against the CNAB JSON Schema is the receiver's, with the
 * validator of @lading/cnab for that document (validateBundle, validateClaim, validateCredentialSet...),
 * because contracts cannot depend on cnab (see ./documents.ts). Every receiving service does:
 * the registry guard before it publishes, the broker before it stores a set, the runner after it pulls.
 */
export function cnabDocumentSchema<T extends object>(kind: string): z.ZodType<T, z.ZodTypeDef, T> {
  return z.custom<T>(isJsonObject, { message: `must be a CNAB ${kind} document (a JSON object)` });
}
