import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DebianPackagesError, debianBaseLayout, imageCacheDir, rootfsLayer } from '../src/internal.js';
import { run } from './image-contents.js';

const image = `lading-test-debian-base-${process.pid}:bookworm-slim`;

describe('the Debian base of bundles', { shuffle: false }, () => {
  let dir: string;
  let digest: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lading-debian-base-'));
    digest = (await debianBaseLayout(join(dir, 'first'), { cacheDir: imageCacheDir() })).digest;
    await run('skopeo', ['copy', '--quiet', `oci:${join(dir, 'first')}:bookworm-slim`, `docker-daemon:${image}`]);
  });

  afterAll(async () => {
    await run('docker', ['rmi', '-f', image]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('has what Porter scripts expect, working for the bundle user on a read-only root', async () => {
    const script = [
      'set -euo pipefail',
      'id -u',
      'readlink -f /bin/sh',
      'for tool in bash curl jq tar gzip base64 grep sed awk find tee cp env which; do command -v "$tool" >/dev/null || { echo "missing $tool"; exit 1; }; done',
      'echo \'{"greeting":"hi"}\' | jq -r .greeting',
      'printf data | gzip | gzip -d',
      'echo',
      'grep -c "BEGIN CERTIFICATE" /etc/ssl/certs/ca-certificates.crt',
      '. /etc/os-release && echo "$VERSION_CODENAME"',
    ].join('\n');
    const { stdout } = await run('docker', ['run', '--rm', '--read-only', '--user', '65532:65532', '--network', 'none', image, 'bash', '-c', script]);
    const [uid, sh, greeting, data, certificates, codename] = stdout.trim().split('\n');
    expect({ uid, sh, greeting, data, codename }).toEqual({ uid: '65532', sh: '/usr/bin/dash', greeting: 'hi', data: 'data', codename: 'bookworm' });
    expect(Number(certificates)).toBeGreaterThan(100);
  });

  it('knows its packages as dpkg would, so a Dockerfile step can apt-get install more', async () => {
    const script = 'dpkg --audit && dpkg-query -W -f=\'${Package} ${Status}\\n\' curl jq bash && command -v apt-get && test -s /etc/apt/sources.list.d/debian.sources && echo consistent';
    const { stdout } = await run('docker', ['run', '--rm', '--network', 'none', image, 'bash', '-c', script]);
    expect(stdout.trim().split('\n')).toEqual(['bash install ok installed', 'curl install ok installed', 'jq install ok installed', '/usr/bin/apt-get', 'consistent']);
  });

  it('is the same image when its layer is made again from the cached packages', async () => {
    const again = await debianBaseLayout(join(dir, 'second'), { cacheDir: imageCacheDir(), rebuild: true });
    expect(again.digest).toBe(digest);
  });

  it('refuses a package Debian does not have in one sentence, and caches nothing for it', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'lading-image-cache-'));
    try {
      const recipe = { name: 'no-such', packages: ['lading-no-such-package'], loginShell: '/bin/sh' };
      const failure = await rootfsLayer(recipe, { cacheDir }).then(() => undefined, (error: unknown) => error);
      expect(failure).toBeInstanceOf(DebianPackagesError);
      expect((failure as Error).message).toMatch(/^apt cannot resolve the Debian packages lading-no-such-package \(.+\); run `apt-get update`/);
      expect((failure as Error).message.split('\n')).toHaveLength(1);
      expect(await readdir(join(cacheDir, 'layers')).catch(() => [])).toEqual([]);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
