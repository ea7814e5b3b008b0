import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { principalNameSchema } from '@lading/contracts';
import { writePrivateFile } from './private-files.js';
import { CodedError } from '@lading/contracts/errors';

/**
 * A principal's credentials file (mode 0600), as `lading principals add` writes it and
 * `lading --credentials FILE` reads it: where the stack is and how to log in to it.
 */
export const credentialsFileSchema = z
  .object({
    principal: principalNameSchema,
    natsUrl: z.string().min(1),
    password: z.string().min(1),
    /** The registry front door, host:port; Basic auth there takes the same name and password. */
    frontDoor: z.string().min(1),
  })
  .strict();

export type CredentialsFile = z.infer<typeof credentialsFileSchema>;

export async function readCredentialsFile(file: string): Promise<CredentialsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CodedError('invalid_request', `cannot read the credentials file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  const parsed = credentialsFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new CodedError('invalid_request', `${file} is not a Lading credentials file: write one with \`lading principals add\``);
  }
  return parsed.data;
}

export async function writeCredentialsFile(file: string, credentials: CredentialsFile): Promise<void> {
  await writePrivateFile(file, `${JSON.stringify(credentialsFileSchema.parse(credentials), null, 2)}\n`);
}
