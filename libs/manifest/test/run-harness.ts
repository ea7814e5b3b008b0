import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

export const busybox = '/bin/busybox';

/** A directory holding busybox's applets alone: a PATH like the busybox base image's. */
export function busyboxOnlyPath(root: string): string {
  const bin = join(root, 'busybox-bin');
  mkdirSync(bin);
  for (const applet of spawnSync(busybox, ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) symlinkSync(busybox, join(bin, applet));
  return bin;
}

/** The outputs and the values to mask a run script printed, framed with its nonce. */
export function readFrames(stdout: string, nonce: string): { frames: Record<string, string>; masks: string[] } {
  const frames: Record<string, string> = {};
  const masks: string[] = [];
  for (const line of stdout.split('\n')) {
    const [first, kind, name, data] = line.split(' ');
    if (first === nonce && kind === 'output') frames[name] = Buffer.from(data ?? '', 'base64').toString('utf8');
    if (first === nonce && kind === 'mask') masks.push(Buffer.from(name ?? '', 'base64').toString('utf8'));
  }
  return { frames, masks };
}
