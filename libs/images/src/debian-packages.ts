import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CodedError } from '@lading/contracts/errors';

const run = promisify(execFile);

/** A Debian package as it went into an image: what the SBOM lists. */
export interface DebianPackage {
  name: string;
  version: string;
  architecture: string;
  /** The .deb in the package cache. */
  file: string;
  /** sha256 of the .deb, hex. */
  sha256: string;
  /** Its control fields, as dpkg-deb prints them: what dpkg's status database records. */
  control: string;
  /** Its md5sums control file (empty when it has none), which dpkg keeps to verify installed files. */
  md5sums: string;
}

/** Raised when the packages cannot be resolved or fetched; its message is one sentence for a person. */
export class DebianPackagesError extends CodedError {
  constructor(message: string, options?: ErrorOptions) {
    super('upstream_failed', message, options);
  }
}

/**
 * The packages `names` need, with their dependencies (no recommends), as this machine's apt lists
 * resolve them, downloaded into `cacheDir` by apt itself, which checks each file against the
 * signed archive indexes. apt is told nothing is installed, so the closure is complete whatever
 * the host has. A .deb already in the cache is not downloaded again, so once the cache holds them
 * this works without a network.
 */
export async function fetchDebianPackages(names: readonly string[], cacheDir: string): Promise<DebianPackage[]> {
  await mkdir(join(cacheDir, 'partial'), { recursive: true });
  const scratch = await mkdtemp(join(tmpdir(), 'lading-apt-'));
  try {
    const status = join(scratch, 'status');
    await writeFile(status, '');
    const options = (archives: string) => [
      '-qq',
      '--no-install-recommends',
      '-o', `Dir::State::status=${status}`,
      '-o', `Dir::Cache::archives=${archives}`,
      '-o', 'Debug::NoLocking=1',
      // apt downloads as root into the cache, so the cache needs no second owner.
      '-o', 'APT::Sandbox::User=root',
    ];
    // Resolved against an empty archive directory, so files already cached are listed too.
    const files = await aptFiles(options(scratch), names);
    try {
      await run('apt-get', ['install', '--download-only', '-y', ...options(cacheDir), ...names], { maxBuffer: 16 << 20 });
    } catch (error) {
      const reason = firstLine(error);
      throw new DebianPackagesError(
        `Debian packages for ${names.join(', ')} could not be downloaded into ${cacheDir} (${reason}): this needs Debian's package mirrors once, after which the cache is enough; to build offline, copy that directory from a machine that has it.`,
        { cause: error },
      );
    }
    const packages: DebianPackage[] = [];
    for (const name of files) packages.push(await describeDeb(join(cacheDir, name)));
    return packages.sort((a, b) => a.name.localeCompare(b.name));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The .deb file names apt would fetch for `names` into an empty archive directory: the whole closure. */
async function aptFiles(options: string[], names: readonly string[]): Promise<string[]> {
  let stdout: string;
  try {
    ({ stdout } = await run('apt-get', ['install', '--print-uris', ...options, ...names], { maxBuffer: 16 << 20 }));
  } catch (error) {
    throw new DebianPackagesError(`apt cannot resolve the Debian packages ${names.join(', ')} (${firstLine(error)}); run \`apt-get update\` once where Debian's mirrors are reachable.`, { cause: error });
  }
  const files = stdout
    .split('\n')
    .map((line) => /^'[^']+' (\S+\.deb) /.exec(line)?.[1])
    .filter((file): file is string => file !== undefined);
  if (files.length === 0) throw new DebianPackagesError(`apt resolved no package for ${names.join(', ')}.`);
  return files;
}

async function describeDeb(file: string): Promise<DebianPackage> {
  const [{ stdout }, content, md5sums] = await Promise.all([
    run('dpkg-deb', ['-f', file]),
    readFile(file),
    run('dpkg-deb', ['--info', file, 'md5sums']).then(({ stdout: text }) => text, () => ''),
  ]);
  const field = (key: string) => new RegExp(`^${key}: (.+)$`, 'm').exec(stdout)?.[1]?.trim() ?? '';
  return {
    name: field('Package'),
    version: field('Version'),
    architecture: field('Architecture'),
    file,
    sha256: createHash('sha256').update(content).digest('hex'),
    control: stdout,
    md5sums,
  };
}

function firstLine(error: unknown): string {
  const text = ((error as { stderr?: string }).stderr || (error as Error).message || String(error)).trim();
  return text.split('\n').filter(Boolean).pop() ?? 'no reason given';
}
