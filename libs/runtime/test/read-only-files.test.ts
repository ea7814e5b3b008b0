import { readFile, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { hardenedHostConfig, RuntimeError, stageReadOnlyFiles } from '../src/internal.js';

const relocationMappingPath = '/cnab/app/relocation-mapping.json';

describe('read-only files handed to a run', () => {
  it('stages the relocation mapping world-readable and read-only, bound :ro, and removes it after', async () => {
    const staged = await stageReadOnlyFiles({ [relocationMappingPath]: Buffer.from('{}\n') });
    expect(staged.binds).toHaveLength(1);
    const [hostPath, containerPath, mode] = staged.binds[0].split(':');
    expect([containerPath, mode]).toEqual([relocationMappingPath, 'ro']);
    expect((await stat(hostPath)).mode & 0o777).toBe(0o444);
    expect(await readFile(hostPath, 'utf8')).toBe('{}\n');
    await staged.remove();
    await expect(stat(hostPath)).rejects.toThrow();
  });

  it('refuses any other container path in one sentence', async () => {
    for (const path of ['/cnab/app/run', '/cnab/secrets/x.json', '/cnab/app/../app/run.json', '/etc/passwd']) {
      const refused = await stageReadOnlyFiles({ [path]: Buffer.from('evil') }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(RuntimeError);
      expect((refused as Error).message).toBe(`A read-only file may be mounted only as a .json file directly in /cnab/app, not at ${JSON.stringify(path)}.`);
    }
  });

  it('never turns a staged file into a writable bind', () => {
    expect(hardenedHostConfig({ readOnlyBinds: ['/tmp/x:/cnab/app/relocation-mapping.json:ro', '/tmp/y:/cnab/app/run:rw'] }).Binds).toEqual([
      '/tmp/x:/cnab/app/relocation-mapping.json:ro',
    ]);
  });
});
