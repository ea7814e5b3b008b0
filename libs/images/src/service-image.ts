import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { sha256Digest, writeImageLayout, type WrittenImageLayout } from '@lading/oci';
import { bundleUid, bundleUser } from '@lading/runtime';
import { bundledPackages, installedPackages, type AppPackage } from './app-packages.js';
import { cycloneDxSbom, debianComponent, npmComponent, type SbomComponent } from './cyclonedx-sbom.js';
import { FileTree } from './file-tree.js';
import type { RootfsLayer } from './rootfs-layer.js';
import { CodedError } from '@lading/contracts/errors';

const run = promisify(execFile);

/** Where the SBOM sits in every image, and the label that names its digest. */
export const sbomPath = 'sbom.cdx.json';
export const sbomDigestLabel = 'sh.lading.sbom.digest';

/** Files of npm packages that are never run: TypeScript sources and declarations, source maps. */
const notShipped = /\.(?:[cm]?ts|map)$/;

export interface ServiceImageInput {
  /** apps/<app>: its package.json and dist/. */
  appDir: string;
  workspaceRoot: string;
  /** lading/<app>. */
  repository: string;
  version: string;
  /** The commit the image is built from, on its revision label. */
  revision: string;
  rootfs: RootfsLayer;
  node: NodeLayer;
  /** Scratch directory for this image's layers and OCI layout. */
  workDir: string;
}

export interface NodeLayer {
  file: string;
  version: string;
  sha256: string;
}

/**
 * The layer with Node.js: the one binary at /usr/bin/node (no npm, no headers), taken from this
 * machine's Debian `nodejs` package, which needs only the C and C++ runtimes.
 */
export async function nodeLayer(workDir: string, binary = '/usr/bin/node'): Promise<NodeLayer> {
  const content = await readFile(binary);
  const { stdout } = await run(binary, ['--version']);
  const tree = new FileTree();
  tree.set('usr/bin/node', { type: 'file', mode: 0o755, content });
  const file = join(workDir, 'node.tar');
  await tree.writeTar(file);
  return { file, version: stdout.trim().replace(/^v/, ''), sha256: sha256Digest(content).slice('sha256:'.length) };
}

/**
 * One service's image: the Debian root file system, Node.js, then /app (its bundle, the packages
 * the bundle leaves outside, a package.json that makes .js files ES modules) and the SBOM of all
 * three. Runs as 65532 with `node /app/main.js` and no shell anywhere.
 */
export async function writeServiceImage(input: ServiceImageInput): Promise<WrittenImageLayout & { layout: string; sbomDigest: string; packages: AppPackage[] }> {
  const dist = join(input.appDir, 'dist');
  if (!(await stat(join(dist, 'main.js')).catch(() => undefined))?.isFile()) {
    throw new CodedError('invalid_request', `${relative(input.workspaceRoot, dist)}/main.js is missing: build the apps first (\`npx nx run-many -t build\`).`);
  }
  const app = new FileTree();
  for (const name of (await readdir(dist, { recursive: true })).map(String).sort()) {
    const path = join(dist, name);
    if ((await stat(path)).isFile()) app.set(`app/${name}`, { type: 'file', mode: 0o644, content: await readFile(path) });
  }
  const installed = await installedPackages(input.appDir, input.workspaceRoot);
  for (const pkg of installed) await addPackageFiles(app, pkg);
  const appName = (JSON.parse(await readFile(join(input.appDir, 'package.json'), 'utf8')) as { name: string }).name;
  app.set('app/package.json', { type: 'file', mode: 0o644, content: Buffer.from(`${JSON.stringify({ name: appName, version: input.version, type: 'module', private: true }, null, 2)}\n`) });
  // The one place a service writes (LADING_STATE_DIR): a volume there keeps the root read-only.
  app.set('var/lib/lading', { type: 'directory', mode: 0o700, owner: bundleUid });

  const bundled = await bundledPackages(input.appDir, dist);
  const components: SbomComponent[] = [
    ...input.rootfs.packages.map(debianComponent),
    { type: 'application', name: 'node', version: input.node.version, purl: `pkg:generic/node@${input.node.version}`, sha256: input.node.sha256 },
    ...uniquePackages([...bundled, ...installed]).map(npmComponent),
  ];
  const sbom = cycloneDxSbom({ name: input.repository, version: input.version }, components);
  const sbomDigest = sha256Digest(sbom);
  app.set(sbomPath, { type: 'file', mode: 0o644, content: sbom });
  const appLayer = join(input.workDir, 'app.tar');
  await app.writeTar(appLayer);

  const layout = join(input.workDir, 'layout');
  const written = await writeImageLayout(layout, {
    layers: [input.rootfs.file, input.node.file, appLayer],
    refName: input.version,
    config: {
      user: bundleUser,
      entrypoint: ['/usr/bin/node', '/app/main.js'],
      env: ['PATH=/usr/bin:/usr/sbin', 'NODE_ENV=production', 'LADING_HTTP_HOST=0.0.0.0', 'LADING_HTTP_PORT=8080', 'LADING_STATE_DIR=/var/lib/lading'],
      workingDir: '/app',
      exposedPorts: ['8080/tcp'],
      labels: {
        'org.opencontainers.image.title': input.repository,
        'org.opencontainers.image.version': input.version,
        'org.opencontainers.image.revision': input.revision,
        [sbomDigestLabel]: sbomDigest,
      },
    },
  });
  return { ...written, layout, sbomDigest, packages: installed };
}

async function addPackageFiles(tree: FileTree, pkg: AppPackage): Promise<void> {
  for (const name of (await readdir(pkg.dir, { recursive: true })).map(String).sort()) {
    // Its own dependencies are separate packages, placed where this machine has them.
    if (name.split('/').includes('node_modules') || notShipped.test(name)) continue;
    const path = join(pkg.dir, name);
    const info = await stat(path);
    if (!info.isFile()) continue;
    tree.set(`app/node_modules/${pkg.installPath}/${name}`, { type: 'file', mode: info.mode & 0o111 ? 0o755 : 0o644, content: await readFile(path) });
  }
}

function uniquePackages(packages: readonly AppPackage[]): AppPackage[] {
  const byKey = new Map(packages.map((pkg) => [`${pkg.name}@${pkg.version}`, pkg]));
  return [...byKey.values()];
}
