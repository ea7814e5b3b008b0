import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import tar from 'tar-stream';
import { followDockerStream } from './docker-stream.js';
import { engineMessage, httpStatus, RuntimeError } from './errors.js';
import { bundleUid } from './hardened-host-config.js';
import { splitRepositoryTag } from './image-name.js';
import { userDatabase } from './nonroot-user.js';
import type { BusyboxBaseImageOptions } from './types.js';

const run = promisify(execFile);
const fixedMtime = new Date(0);

/**
 * Imports a minimal base image made of Debian's static busybox, with the non-root bundle user
 * (65532) already known to /etc/passwd. Nothing can be pulled on this machine, so this is the
 * base image for tests and the demo. An existing image with the same tag is reused.
 */
export async function makeBusyboxBaseImage(docker: Docker, options: BusyboxBaseImageOptions): Promise<string> {
  const existing = await imageId(docker, options.tag);
  if (existing) return existing;

  const rootfs = await busyboxRootfs(options.busyboxPath ?? '/bin/busybox');
  const { repository, tag } = splitRepositoryTag(options.tag);
  try {
    const stream = await docker.importImage(rootfs, {
      repo: repository,
      tag,
      changes: ['ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'CMD ["/bin/sh"]'],
    });
    await followDockerStream(docker, stream);
  } catch (error) {
    const reason = error instanceof RuntimeError ? error.message : engineMessage(error);
    throw new RuntimeError('docker-engine', `Importing the busybox base image ${options.tag} failed: ${reason}`, { cause: error });
  }
  const id = await imageId(docker, options.tag);
  if (!id) throw new RuntimeError('docker-engine', `The Docker Engine did not keep the imported image ${options.tag}: check its logs.`);
  return id;
}

async function imageId(docker: Docker, name: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(name).inspect()).Id;
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw new RuntimeError('docker-engine', `Inspecting image ${name} failed: ${engineMessage(error)}`, { cause: error });
  }
}

async function busyboxRootfs(busyboxPath: string): Promise<Readable> {
  let binary: Buffer;
  let applets: string[];
  try {
    binary = await readFile(busyboxPath);
    const { stdout } = await run(busyboxPath, ['--list-full']);
    applets = stdout.split('\n').map((line) => line.trim()).filter((line) => line !== '' && line !== 'bin/busybox');
  } catch (error) {
    throw new RuntimeError('docker-engine', `${busyboxPath} cannot be read or run: install Debian's busybox-static.`, { cause: error });
  }

  const pack = tar.pack();
  const entry = (name: string, mode: number, extra: Partial<tar.Header> = {}, content?: string | Buffer): void => {
    const header = { name, mode, uid: 0, gid: 0, mtime: fixedMtime, ...extra };
    if (content === undefined) pack.entry(header);
    else pack.entry(header, content);
  };
  const directory = (name: string, mode = 0o755, owner = 0): void =>
    entry(`${name}/`, mode, { type: 'directory', uid: owner, gid: owner });

  for (const name of ['bin', 'sbin', 'usr', 'usr/bin', 'usr/sbin', 'etc', 'home', 'var', 'proc', 'sys', 'dev']) directory(name);
  directory('root', 0o700);
  directory('tmp', 0o1777);
  directory('home/nonroot', 0o755, bundleUid);
  entry('bin/busybox', 0o755, {}, binary);
  for (const applet of applets) entry(applet, 0o777, { type: 'symlink', linkname: '/bin/busybox' });
  const users = userDatabase('/bin/sh');
  entry('etc/passwd', 0o644, {}, users.passwd);
  entry('etc/group', 0o644, {}, users.group);
  pack.finalize();
  return Readable.from(pack);
}
