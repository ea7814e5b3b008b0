import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackFileSchema, stackPaths } from '@lading/stack';

/**
 * A LADING_HOME whose stack file points the real `lading` command at the test's NATS server and
 * front door, as `lading up` records them, acting as `user` with `password`.
 */
export async function makeCliHome(natsUrl: string, frontDoor: string, upstreamUrl: string, user = 'cli', password = 'unused'): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'lading-guard-cli-'));
  const passwordFile = join(home, 'cli.password');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  const stack = stackFileSchema.parse({
    natsUrl,
    frontDoor,
    upstream: upstreamUrl,
    cli: { user, passwordFile },
    processes: {},
    startedAt: new Date().toISOString(),
  });
  await writeFile(stackPaths(home).stackFile, JSON.stringify(stack), { mode: 0o600 });
  return home;
}
