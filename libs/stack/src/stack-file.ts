import { readFile, rm } from 'node:fs/promises';
import { z } from 'zod';
import { stackPaths } from './layout.js';
import { writePrivateFile } from './private-files.js';
import { CodedError } from '@lading/contracts/errors';

export const stackProcessSchema = z.object({
  pid: z.number().int().positive(),
  healthPort: z.number().int().positive().optional(),
  log: z.string(),
  /** Text found in the process's command line, so a recycled pid is never taken for ours. */
  commandMark: z.string().optional(),
});

/** <home>/stack.json: what `lading up` started, for `lading down`, `lading status` and the CLI. */
export const stackFileSchema = z.object({
  natsUrl: z.string(),
  /** The registry front door (registry-guard), host:port. */
  frontDoor: z.string(),
  /** The upstream registry URL, on loopback. */
  upstream: z.string(),
  /** The administrator's connection: its NATS user and credentials file, for tools that drive the stack. */
  admin: z.object({ user: z.literal('admin'), credentialsFile: z.string() }),
  processes: z.record(z.string(), stackProcessSchema),
  startedAt: z.string(),
});

export type StackFile = z.infer<typeof stackFileSchema>;
export type StackProcess = z.infer<typeof stackProcessSchema>;

/** The stack file of a home, or undefined when no stack was started there. */
export async function readStackFile(home: string): Promise<StackFile | undefined> {
  const file = stackPaths(home).stackFile;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CodedError('bad_configuration', `cannot read ${file} (${(error as Error).message}): check its permissions`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  const parsed = stackFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new CodedError('bad_configuration', `${file} is not a valid stack file: stop any lading processes, remove it and run \`lading up\``);
  }
  return parsed.data;
}

export async function writeStackFile(home: string, stack: StackFile): Promise<void> {
  const file = stackPaths(home).stackFile;
  await writePrivateFile(file, `${JSON.stringify(stackFileSchema.parse(stack), null, 2)}\n`);
}

export async function removeStackFile(home: string): Promise<void> {
  await rm(stackPaths(home).stackFile, { force: true });
}
