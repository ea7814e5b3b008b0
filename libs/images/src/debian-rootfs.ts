import { spawn } from 'node:child_process';
import { userDatabase, bundleUid } from '@lading/runtime';
import tar from 'tar-stream';
import type { DebianPackage } from './debian-packages.js';
import { FileTree } from './file-tree.js';
import type { RootfsRecipe } from './rootfs-recipes.js';

/** Directories Debian's merged /usr turns into links; packages of bookworm still ship files under them. */
const mergedUsr = ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'];

/** What Debian's slim images leave out, as their dpkg path excludes do; licences stay. */
const slimOmissions = ['usr/share/doc/', 'usr/share/man/', 'usr/share/info/', 'usr/share/locale/', 'usr/share/lintian/', 'usr/share/bug/', 'usr/share/menu/'];

const caBundle = 'etc/ssl/certs/ca-certificates.crt';

/**
 * Unpacks Debian packages into a root file system the way dpkg would lay them out, without running
 * their maintainer scripts (nothing runs as root in a build): the few things those scripts make
 * that a base needs — the alternatives' links, the CA bundle, the user database, the merged /usr
 * links — are made here from the recipe. Setuid bits never survive (see FileTree).
 */
export async function debianRootfs(recipe: RootfsRecipe, packages: readonly DebianPackage[]): Promise<FileTree> {
  const tree = new FileTree();
  const omitted = [...slimOmissions, ...(recipe.omit ?? [])];
  const keep = (path: string) =>
    !omitted.some((rule) => (rule.endsWith('/') ? path.startsWith(rule) : path === rule)) || /^usr\/share\/doc\/[^/]+\/copyright$/.test(path);
  for (const name of mergedUsr) tree.set(name, { type: 'symlink', target: `usr/${name}` });
  const installed = new Map<string, string[]>();
  for (const pkg of packages) installed.set(pkg.name, await unpackDeb(pkg.file, tree, keep));
  if (recipe.packageDatabase) writePackageDatabase(tree, packages, installed);

  for (const [path, target] of Object.entries(recipe.links ?? {})) tree.set(path, { type: 'symlink', target });
  for (const [path, capability] of Object.entries(recipe.capabilities ?? {})) {
    const entry = tree.get(path);
    if (entry?.type !== 'file') throw new Error(`The recipe ${recipe.name} gives a capability to ${path}, which no package installs.`);
    tree.set(path, { ...entry, capability });
  }
  if (packages.some((pkg) => pkg.name === 'ca-certificates')) writeCaBundle(tree);

  const users = userDatabase(recipe.loginShell);
  tree.set('etc/passwd', { type: 'file', mode: 0o644, content: Buffer.from(users.passwd) });
  tree.set('etc/group', { type: 'file', mode: 0o644, content: Buffer.from(users.group) });
  tree.set('tmp', { type: 'directory', mode: 0o1777 });
  tree.set('root', { type: 'directory', mode: 0o700 });
  tree.set('home/nonroot', { type: 'directory', mode: 0o755, owner: bundleUid });
  return tree;
}

/** Package paths of the merged directories land under /usr, as on a bookworm system. */
function mapPath(raw: string): string {
  const path = raw.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  const top = path.split('/')[0]!;
  return mergedUsr.includes(top) ? `usr/${path}` : path;
}

/** Unpacks one package; returns its paths as dpkg lists them (before the /usr merge). */
async function unpackDeb(file: string, tree: FileTree, keep: (path: string) => boolean): Promise<string[]> {
  const listed: string[] = [];
  const child = spawn('dpkg-deb', ['--fsys-tarfile', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: unknown) => void chunks.push(chunk as Buffer));
      stream.on('end', () => {
        const path = mapPath(header.name);
        listed.push(`/${header.name.replace(/^\.?\/+/, '').replace(/\/+$/, '')}`.replace(/^\/$/, '/.'));
        if (path !== '' && keep(path)) {
          if (header.type === 'directory') {
            if (!tree.has(path)) tree.set(path, { type: 'directory', mode: header.mode ?? 0o755 });
          } else if (header.type === 'symlink') tree.set(path, { type: 'symlink', target: header.linkname ?? '' });
          else if (header.type === 'link') {
            // A hard link becomes a copy: sorted entries could otherwise name a target written later.
            const target = tree.get(mapPath(header.linkname ?? ''));
            if (target?.type === 'file') tree.set(path, target);
          }
          else if (header.type === 'file') tree.set(path, { type: 'file', mode: header.mode ?? 0o644, content: Buffer.concat(chunks) });
        }
        next();
      });
      stream.resume();
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  child.stdout.pipe(extract);
  await done;
  if ((await exited) !== 0) throw new Error(`dpkg-deb could not unpack ${file}: ${stderr.trim()}`);
  return listed;
}

/** What dpkg would have recorded installing the packages: their status stanzas and file lists, and apt's sources. */
function writePackageDatabase(tree: FileTree, packages: readonly DebianPackage[], installed: Map<string, string[]>): void {
  const stanzas = [...packages]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((pkg) => pkg.control.trimEnd().replace(/^(Package: .*)$/m, '$1\nStatus: install ok installed'));
  tree.set('var/lib/dpkg/status', { type: 'file', mode: 0o644, content: Buffer.from(`${stanzas.join('\n\n')}\n`) });
  for (const pkg of packages) {
    // dpkg names a package's files by name, and by name:arch when copies of several architectures may coexist.
    const name = /^Multi-Arch: same$/m.test(pkg.control) ? `${pkg.name}:${pkg.architecture}` : pkg.name;
    const list = (installed.get(pkg.name) ?? []).filter((path) => path !== '/.');
    tree.set(`var/lib/dpkg/info/${name}.list`, { type: 'file', mode: 0o644, content: Buffer.from(`/.\n${list.join('\n')}\n`) });
    if (pkg.md5sums) tree.set(`var/lib/dpkg/info/${name}.md5sums`, { type: 'file', mode: 0o644, content: Buffer.from(pkg.md5sums) });
  }
  for (const dir of ['var/lib/dpkg/updates', 'var/lib/dpkg/triggers', 'var/lib/dpkg/alternatives', 'var/lib/apt/lists/partial', 'var/cache/apt/archives/partial']) tree.set(dir, { type: 'directory', mode: 0o755 });
  tree.set('var/lib/dpkg/available', { type: 'file', mode: 0o644, content: Buffer.alloc(0) });
  // Format 1: the info files of Multi-Arch: same packages carry the architecture in their names.
  tree.set('var/lib/dpkg/info/format', { type: 'file', mode: 0o644, content: Buffer.from('1\n') });
  tree.set('etc/apt/sources.list.d/debian.sources', { type: 'file', mode: 0o644, content: Buffer.from(debianSources) });
}

/** The mirrors debian:bookworm names. */
const debianSources = `Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`;

/** What update-ca-certificates writes: every CA the package ships, concatenated in name order. */
function writeCaBundle(tree: FileTree): void {
  const certificates = tree
    .paths()
    .filter((path) => path.startsWith('usr/share/ca-certificates/') && path.endsWith('.crt'))
    .map((path) => (tree.get(path) as { content: Buffer }).content);
  tree.set(caBundle, { type: 'file', mode: 0o644, content: Buffer.concat(certificates) });
}
