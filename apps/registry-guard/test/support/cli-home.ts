import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareStackHome, recordStack } from '@lading/stack';

/**
 * A LADING_HOME whose stack file points the real `lading` command at the test's NATS server and
 * front door, as `lading up` records them. The test server has no auth, so the passwords are unused.
 */
export async function makeCliHome(natsUrl: string, frontDoor: string, upstreamUrl: string): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'lading-guard-cli-'));
  const prepared = await prepareStackHome(home);
  await recordStack(home, prepared.passwords, { natsUrl, frontDoor, upstream: upstreamUrl });
  return home;
}
