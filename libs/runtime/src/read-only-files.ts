import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuntimeError } from './errors.js';

/**
 * Where a run may be handed a read-only file: a JSON document directly in /cnab/app (CNAB puts
 * the relocation mapping there), never over the run script or into the secrets and outputs mounts.
 */
const allowedPath = /^\/cnab\/app\/[a-z][a-z0-9-]*\.json$/;

export interface StagedFiles {
  /** `host:container:ro` bind specifications. */
  readonly binds: string[];
  remove(): Promise<void>;
}

/**
 * Stages non-secret files (a relocation mapping) on the Docker host for a read-only bind mount:
 * the bundle reads them but cannot change them, and the root file system stays read-only. They
 * are world-readable (the bundle user owns nothing on the host) and removed after the run;
 * secrets never go this way, they travel on stdin into tmpfs.
 */
export async function stageReadOnlyFiles(files: Readonly<Record<string, Buffer>>): Promise<StagedFiles> {
  const entries = Object.entries(files);
  for (const [path] of entries) {
    if (!allowedPath.test(path)) {
      throw new RuntimeError('invalid-run-options', `A read-only file may be mounted only as a .json file directly in /cnab/app, not at ${JSON.stringify(path)}.`);
    }
  }
  if (entries.length === 0) return { binds: [], remove: async () => undefined };
  const dir = await mkdtemp(join(tmpdir(), 'lading-run-files-'));
  try {
    await chmod(dir, 0o755);
    const binds: string[] = [];
    for (const [index, [path, content]] of entries.entries()) {
      const hostPath = join(dir, String(index));
      await writeFile(hostPath, content, { mode: 0o444 });
      binds.push(`${hostPath}:${path}:ro`);
    }
    return { binds, remove: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
