import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, startNatsServer, waitForPort, type TestNatsServer } from '@lading/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sbomDigestLabel, sbomPath, serviceApps } from '../src/internal.js';
import { imageContents, run, type ImageFile } from './image-contents.js';

const workspaceRoot = resolve(import.meta.dirname, '../../..');
const buildScript = join(workspaceRoot, 'deploy/images/build.sh');
const version = JSON.parse(await readFile(join(workspaceRoot, 'apps/builder/package.json'), 'utf8')).version as string;
const images = serviceApps.map((app) => ({ app, name: `lading/${app}:${version}` }));

/** Programs that must not be in a service image: shells, package managers, compilers, interpreters. */
const forbiddenPrograms = ['sh', 'bash', 'dash', 'ash', 'zsh', 'busybox', 'apt', 'apt-get', 'dpkg', 'npm', 'npx', 'corepack', 'gcc', 'cc', 'g++', 'c++', 'tcc', 'clang', 'as', 'ld', 'make', 'perl', 'python3', 'awk', 'mawk', 'tsx', 'tsc'];
/** Packages only development needs (the workspace's devDependencies and the tools around them). */
const devPackages = ['tsx', 'typescript', 'vitest', 'esbuild', 'eslint', 'nx', 'typescript-eslint', '@eslint/js', '@types/node', 'bcryptjs'];
/** What each service's SBOM must name, beside the Debian packages and Node. */
const runtimeDependencies: Record<string, string[]> = {
  builder: ['@nats-io/nats-core', '@nats-io/obj', 'dockerode', 'tar-stream'],
  'registry-guard': ['@nats-io/nats-core', '@nats-io/kv', 'express', 'zod'],
  'secret-broker': ['@nats-io/nats-core', '@nats-io/jetstream', 'zod'],
  runner: ['@nats-io/nats-core', '@nats-io/jetstream', 'dockerode'],
};

interface Build {
  outDir: string;
  /** image name → [image ID, manifest digest] */
  digests: Map<string, [string, string]>;
}

async function build(rebuild: boolean): Promise<Build> {
  const outDir = await mkdtemp(join(tmpdir(), 'lading-service-images-'));
  await run('bash', [buildScript, '--out', outDir, ...(rebuild ? ['--rebuild'] : [])], { maxBuffer: 64 << 20 });
  const digests = new Map<string, [string, string]>();
  for (const { app, name } of images) {
    const index = JSON.parse(await readFile(join(outDir, app, 'layout', 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    const { stdout } = await run('docker', ['image', 'inspect', '--format', '{{.Id}}', name]);
    digests.set(name, [stdout.trim(), index.manifests[0]!.digest]);
  }
  return { outDir, digests };
}

const inspect = async (name: string) => JSON.parse((await run('docker', ['image', 'inspect', name])).stdout)[0] as { Config: { User: string; Labels: Record<string, string>; Entrypoint: string[] } };
const basename = (path: string) => path.split('/').pop()!;

describe('the service images', { shuffle: false }, () => {
  let first: Build;
  const contents = new Map<string, { files: ImageFile[]; sbom: Buffer }>();

  beforeAll(async () => {
    first = await build(false);
    for (const { name } of images) {
      const { files, contents: wanted } = await imageContents(name, [sbomPath]);
      contents.set(name, { files, sbom: wanted.get(sbomPath)! });
    }
  });

  afterAll(async () => {
    if (first) await rm(first.outDir, { recursive: true, force: true });
  });

  it.each(images)('$name runs as a numeric non-root user, node /app/main.js, with no shell to fall back on', async ({ name }) => {
    const { Config } = await inspect(name);
    expect(Config.User).toMatch(/^[1-9][0-9]*:[1-9][0-9]*$/);
    expect(Config.Entrypoint).toEqual(['/usr/bin/node', '/app/main.js']);
    const shell = await run('docker', ['run', '--rm', '--entrypoint', 'sh', name, '-c', 'id']).then(() => 'ran', (error: { stderr: string }) => error.stderr);
    expect(shell).toMatch(/executable file not found|no such file/);
  });

  it.each(images)('$name holds no shell, package manager, compiler, TypeScript, dev dependency or setuid file', ({ name }) => {
    const { files } = contents.get(name)!;
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((file) => file.path === 'usr/bin/node')).toBe(true);
    expect(files.filter((file) => forbiddenPrograms.includes(basename(file.path)) && file.type !== 'directory').map((file) => file.path)).toEqual([]);
    expect(files.filter((file) => /\.[cm]?ts$/.test(file.path)).map((file) => file.path)).toEqual([]);
    const packages = files.filter((file) => /(^|\/)node_modules\/(@[^/]+\/)?[^/@]+$/.test(file.path) && file.type === 'directory').map((file) => file.path.replace(/^.*node_modules\//, ''));
    expect(packages.filter((pkg) => devPackages.includes(pkg) || pkg.startsWith('@types/'))).toEqual([]);
    expect(files.filter((file) => (file.mode & 0o6000) !== 0).map((file) => file.path)).toEqual([]);
  });

  it.each(images)('$name carries an SBOM of what is inside, named by its label', async ({ app, name }) => {
    const { sbom, files } = contents.get(name)!;
    const { Config } = await inspect(name);
    expect(Config.Labels[sbomDigestLabel]).toBe(`sha256:${createHash('sha256').update(sbom).digest('hex')}`);
    const document = JSON.parse(sbom.toString()) as { bomFormat: string; specVersion: string; components: { name: string; version: string; purl: string }[] };
    expect(document).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.5' });
    const names = document.components.map((component) => component.name);
    expect(names).toEqual(expect.arrayContaining(['libc6', 'libstdc++6', 'libgcc-s1', 'node', ...runtimeDependencies[app]!]));
    if (app === 'runner') expect(names).toContain('iptables');
    for (const component of document.components) expect(component.purl).toMatch(/^pkg:(deb\/debian|npm|generic)\/.+@.+/);
    // Whatever sits in /app/node_modules is listed too.
    for (const file of files.filter((entry) => /^app\/node_modules\/(@[^/]+\/)?[^/@]+\/package\.json$/.test(entry.path))) {
      const pkg = file.path.replace(/^app\/node_modules\/|\/package\.json$/g, '');
      expect(names).toContain(pkg);
    }
  });

  describe('started with a read-only root file system', () => {
    let nats: TestNatsServer;
    const containers: string[] = [];

    beforeAll(async () => {
      nats = await startNatsServer();
    });

    afterAll(async () => {
      if (containers.length > 0) await run('docker', ['rm', '-f', ...containers]).catch(() => undefined);
      await nats?.stop();
    });

    it.each(images)('$name answers /healthz', async ({ app, name }) => {
      const httpPort = await freePort();
      const dockerGroup = (await run('stat', ['-c', '%g', '/var/run/docker.sock'])).stdout.trim();
      const settings: Record<string, string[]> = {
        builder: ['-v', '/var/run/docker.sock:/var/run/docker.sock', '--group-add', dockerGroup],
        'registry-guard': ['-e', `LADING_GUARD_PORT=${await freePort()}`, '-e', `LADING_UPSTREAM_REGISTRY=http://127.0.0.1:${await freePort()}`],
        'secret-broker': [],
        // The runner adds its host firewall rules through iptables' file capability: CAP_NET_ADMIN, nothing more, and still uid 65532.
        runner: ['-v', '/var/run/docker.sock:/var/run/docker.sock', '--group-add', dockerGroup, '--cap-add', 'NET_ADMIN', '-e', `LADING_REGISTRY=127.0.0.1:${await freePort()}`],
      };
      const { stdout } = await run('docker', [
        'run', '-d', '--read-only', '--network', 'host',
        '--tmpfs', '/tmp', '--tmpfs', '/var/lib/lading:uid=65532,gid=65532',
        '-e', `LADING_NATS_URL=${nats.url}`, '-e', `LADING_HTTP_PORT=${httpPort}`, '-e', 'LADING_HTTP_HOST=127.0.0.1',
        ...settings[app]!, name,
      ]);
      containers.push(stdout.trim());
      await waitForPort(httpPort, '127.0.0.1', 600).catch(async (error) => {
        throw new Error(`${name} did not start: ${(await run('docker', ['logs', stdout.trim()])).stderr}`, { cause: error });
      });
      const health = await fetch(`http://127.0.0.1:${httpPort}/healthz`);
      expect(health.status).toBe(200);
      const { stdout: state } = await run('docker', ['inspect', '--format', '{{.HostConfig.ReadonlyRootfs}} {{.Config.User}}', stdout.trim()]);
      expect(state.trim()).toBe('true 65532:65532');
    });
  });

  it('builds the same image digests again from the same commit, the Debian layers made anew', async () => {
    const second = await build(true);
    try {
      expect([...second.digests]).toEqual([...first.digests]);
    } finally {
      await rm(second.outDir, { recursive: true, force: true });
    }
  });
});
