import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connectDocker, makeBusyboxBaseImage } from '@lading/runtime';
import { seedLocalBaseImage } from '@lading/stack/internal';

const run = promisify(execFile);

/**
 * A base image that brings kubectl, as a bundle using the kubernetes mixin needs: Lading's busybox
 * base with the host's kubectl (a static binary) added, seeded into the stack's registry. Returns
 * its front-door reference; the local image is removed again.
 */
export async function seedKubectlBaseImage(home: string): Promise<string> {
  const busybox = 'lading/busybox:stable';
  await makeBusyboxBaseImage(connectDocker(), { tag: busybox });
  const dir = await mkdtemp(join(tmpdir(), 'lading-kubectl-base-'));
  const local = `lading-test/kubectl:${Date.now().toString(36)}`;
  try {
    await copyFile(await realpath((await run('sh', ['-c', 'command -v kubectl'])).stdout.trim()), join(dir, 'kubectl'));
    // COPY keeps the mode (the legacy builder has no --chmod).
    await chmod(join(dir, 'kubectl'), 0o755);
    await writeFile(join(dir, 'Dockerfile'), `FROM ${busybox}\nCOPY kubectl /usr/bin/kubectl\n`);
    await run('docker', ['build', '-q', '-t', local, dir], { maxBuffer: 16 * 1024 * 1024 });
    return (await seedLocalBaseImage(home, local, 'lading/kubectl', '1.32')).reference;
  } finally {
    await run('docker', ['rmi', local]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}
