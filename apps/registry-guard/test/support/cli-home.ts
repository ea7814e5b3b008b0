import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminPrincipal } from '@lading/contracts';
import { writeCredentialsFile, writeStackFile } from '@lading/stack/internal';

/**
 * A LADING_HOME whose stack file points the real `lading` command at the test's NATS server and
 * front door, as `lading up` records them, acting as `user` with `password`.
 */
export async function makeCliHome(natsUrl: string, frontDoor: string, upstreamUrl: string, user = adminPrincipal, password = 'unused'): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'lading-guard-cli-'));
  const credentialsFile = join(home, `${user}.credentials.json`);
  await writeCredentialsFile(credentialsFile, { principal: user, natsUrl, password, frontDoor });
  await writeStackFile(home, {
    natsUrl,
    frontDoor,
    upstream: upstreamUrl,
    admin: { user: adminPrincipal, credentialsFile },
    processes: {},
    startedAt: new Date().toISOString(),
  });
  return home;
}
