import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

/** Makes a one-binary image (busybox-static) with `docker import`, since nothing can be pulled here. */
export async function importBusyboxImage(name: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lading-test-rootfs-'));
  try {
    await mkdir(join(dir, 'bin'));
    await copyFile('/bin/busybox', join(dir, 'bin', 'busybox'));
    await run('sh', ['-c', `tar -C "${dir}" -c . | docker import - "${name}"`]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The stdout of `docker save`, as a stream; rejects `done` if docker fails. */
export function dockerSave(name: string): { stream: Readable; done: Promise<void> } {
  const child = spawn('docker', ['save', name], { stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const done = new Promise<void>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker save ${name} failed: ${errors}`)))),
  );
  return { stream: child.stdout, done };
}

export async function removeImages(names: string[]): Promise<void> {
  for (const name of names) await run('docker', ['rmi', '-f', name]).catch(() => undefined);
}
