import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { adminPrincipal, everyNamespace, namespaceSchema, principalNameSchema } from '@lading/contracts';

export const principalEntrySchema = z
  .object({
    /** Namespaces this principal may see and use; `*` (the administrator's) means every one. */
    namespaces: z.array(z.union([z.literal(everyNamespace), namespaceSchema])).min(1),
    /** An scrypt verifier of the principal's password, for the registry front door's Basic auth. */
    passwordVerifier: z.string().min(1),
  })
  .strict();

/** The principals file (`LADING_PRINCIPALS_FILE`): who may act on the stack, and where. */
export const principalsFileSchema = z
  .object({ principals: z.record(principalNameSchema, principalEntrySchema) })
  .strict()
  .refine((file) => adminPrincipal in file.principals, `must name the ${adminPrincipal} principal`);

export type PrincipalEntry = z.infer<typeof principalEntrySchema>;
export type PrincipalsFile = z.infer<typeof principalsFileSchema>;

/** Parses a principals file's text, naming the file and the first problem in one sentence. */
export function parsePrincipalsFile(text: string, file: string): PrincipalsFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not JSON: it must be the principals file \`lading up\` writes`);
  }
  const parsed = principalsFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file} is not a valid principals file: ${issue.path.join('.') || '(file)'} ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Reads the principals file when it changes (by modification time and size), so that
 * `lading principals add` takes effect without restarting the services.
 */
export class PrincipalsFileReader {
  #seen: { mtimeMs: number; size: number; file: PrincipalsFile } | undefined;

  constructor(readonly path: string) {}

  current(): PrincipalsFile {
    const stat = statSync(this.path);
    if (this.#seen && this.#seen.mtimeMs === stat.mtimeMs && this.#seen.size === stat.size) return this.#seen.file;
    const file = parsePrincipalsFile(readFileSync(this.path, 'utf8'), this.path);
    this.#seen = { mtimeMs: stat.mtimeMs, size: stat.size, file };
    return file;
  }
}
