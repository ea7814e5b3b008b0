import { posix } from 'node:path';

/** What never goes into an invocation image: the last build's result and version control. */
const alwaysLeftOut = ['.lading', '.git'];

/** Whether a path is under a directory no .dockerignore line can bring back. */
export function isAlwaysLeftOut(path: string): boolean {
  return alwaysLeftOut.some((dir) => path === dir || path.startsWith(`${dir}/`));
}

interface Rule {
  pattern: RegExp;
  exclude: boolean;
}

/** One .dockerignore pattern as a regex over slash-separated paths: `**` any depth, `*` and `?` within one segment. */
function compile(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i];
    if (char === '*' && glob[i + 1] === '*') {
      // `**/` also matches no directory at all.
      source += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '\\' && i + 1 < glob.length) source += `\\${glob[(i += 1)]}`;
    else if (char === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) source += '\\[';
      else {
        source += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += char.replace(/[.+^${}()|/]/g, '\\$&');
  }
  // A pattern naming a directory leaves out everything under it too.
  return new RegExp(`^${source}(?:/.*)?$`);
}

function rulesOf(text: string): Rule[] {
  return text.split(/\r?\n/).flatMap((raw): Rule[] => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return [];
    const exclude = !line.startsWith('!');
    const glob = posix.normalize((exclude ? line : line.slice(1).trim()).replace(/^\/+/, ''));
    if (glob === '.' || glob === '') return [];
    return [{ pattern: compile(glob), exclude }];
  });
}

/**
 * Whether a bundle file (path relative to the bundle directory, `/`-separated) stays out of the
 * invocation image: `.lading/` and `.git/` always, and whatever the directory's .dockerignore
 * leaves out, read as Docker reads it (the last matching line wins, `!` brings a path back).
 */
export function bundleFileFilter(dockerignore: string | undefined): (path: string) => boolean {
  const rules = dockerignore === undefined ? [] : rulesOf(dockerignore);
  return (path) => {
    if (isAlwaysLeftOut(path)) return true;
    let ignored = false;
    for (const rule of rules) if (rule.pattern.test(path)) ignored = rule.exclude;
    return ignored;
  };
}

export const DOCKERIGNORE_FILE = '.dockerignore';
