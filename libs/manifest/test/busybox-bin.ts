import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

export const busybox = '/bin/busybox';

/** `<root>/bin` holding only busybox applets, the PATH a run script has in the invocation image. */
export function busyboxBin(root: string): string {
  const bin = join(root, 'bin');
  mkdirSync(bin);
  for (const applet of spawnSync(busybox, ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) symlinkSync(busybox, join(bin, applet));
  return bin;
}
