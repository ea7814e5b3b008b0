import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Removes from the local Docker Engine, by name and never by image id (an id may also carry
 * another stack's or user's names), every image named under `registry` (`host:port`): what a
 * test's own stack built and pulled there.
 */
export async function removeImagesNamedUnder(registry: string): Promise<void> {
  const { stdout } = await run('docker', ['images', '--digests', '--format', '{{.Repository}} {{.Tag}} {{.Digest}}']);
  const names = stdout
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([repository]) => repository?.startsWith(`${registry}/`))
    .map(([repository, tag, digest]) => (tag !== undefined && tag !== '<none>' ? `${repository}:${tag}` : `${repository}@${digest}`));
  for (const name of new Set(names)) await run('docker', ['rmi', name]).catch(() => undefined);
}
