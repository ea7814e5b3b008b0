import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { safeRelativePath } from './bundle-path.js';
import { bundleFileFilter, DOCKERIGNORE_FILE } from './dockerignore.js';
import { RuntimeError } from './errors.js';
import type { AssembleBuildContextInput, BuildContext } from './types.js';

const fixedMtime = new Date(0);

/**
 * The docker build context of an invocation image: the user's files under `app/` (less what
 * .dockerignore leaves out, and never `.lading/`), the run script at `run` and the Dockerfile at
 * the root. Everything is owned by root, so the bundle user (65532) can read and execute its
 * files but never change them.
 */
export function assembleBuildContext(input: AssembleBuildContextInput): BuildContext {
  const ignored = bundleFileFilter(input.files.find((file) => file.path === DOCKERIGNORE_FILE)?.content.toString('utf8'));
  const files = input.files
    .map((file) => ({ ...file, path: safeRelativePath(file.path) }))
    .filter((file) => !ignored(file.path))
    .map((file) => ({ ...file, path: `app/${file.path}` }));
  const paths = new Set<string>();
  for (const file of files) {
    if (paths.has(file.path)) {
      throw new RuntimeError('invalid-bundle-context', `Bundle file ${file.path.slice(4)} is listed twice: pass each file once.`);
    }
    paths.add(file.path);
  }

  const directories = new Set<string>(['app']);
  for (const file of files) {
    const segments = file.path.split('/');
    for (let i = 2; i < segments.length; i += 1) directories.add(segments.slice(0, i).join('/'));
  }

  const pack = tar.pack();
  const owner = { uid: 0, gid: 0, mtime: fixedMtime };
  pack.entry({ ...owner, name: 'Dockerfile', mode: 0o644 }, input.dockerfile);
  pack.entry({ ...owner, name: 'run', mode: 0o755 }, input.runScript);
  for (const directory of [...directories].sort()) {
    pack.entry({ ...owner, name: `${directory}/`, type: 'directory', mode: 0o755 });
  }
  for (const file of files) {
    pack.entry({ ...owner, name: file.path, mode: file.mode }, file.content);
  }
  pack.finalize();
  return Readable.from(pack);
}
