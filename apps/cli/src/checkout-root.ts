import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The Lading checkout this command runs from: the nearest directory above `from` that holds the
 * services (apps/<app>/), whether `from` is a source file or a chunk of the compiled bundle. An
 * installed `lading` has none; `lading up` then says so.
 */
export function checkoutRoot(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'apps', 'cli', 'package.json')) && existsSync(join(dir, 'libs', 'stack'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
