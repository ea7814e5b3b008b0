import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  archiveCompressions,
  copyBundle,
  OciError,
  parseReference,
  publishBundleArchive,
  unguardedTagWarning,
  writeBundleArchive,
  type ArchiveCompression,
  type TagWritten,
} from '@lading/oci';
import { bundleLocation, bundleReadFailure } from '../bundle-source.js';
import { registryClientFor } from '../registry-login.js';
import { signPublished } from '../signing-keys.js';
import { UserError } from '../user-error.js';

/** Archives at least this large report their progress on stderr. */
const progressFrom = 64 * 1024 * 1024;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A destination given as `<registry>/<repository>:<tag>`, read by the one reference grammar. */
export function tagDestination(text: string): { registry: string; repository: string; tag: string } {
  let reference;
  try {
    reference = parseReference(text);
  } catch (error) {
    throw new UserError((error as Error).message);
  }
  if (!reference.tag || reference.digest) throw new UserError(`${text} must be a tag reference (<registry>/<repository>:<tag>)`);
  return { registry: reference.registry, repository: reference.repository, tag: reference.tag };
}

/** The pinned digest of a bundle reference, read anonymously or as the principal at the front door. */
async function pinnedSource(text: string) {
  const { registry, repository, wanted } = bundleLocation(text);
  const client = await registryClientFor(registry);
  const head = await client.headManifest(repository, wanted).catch((error: unknown) => bundleReadFailure(text, error));
  if (!head) throw new UserError(`there is no bundle ${text} in the registry`);
  return { client, registry, repository, digest: head.digest };
}

/** Prints where a bundle now is, and says so when no guard's ledger decided the tag. */
export function reportTagWritten(verb: string, destination: string, written: TagWritten): void {
  const outcome = written.guardOutcome === 'unchanged' ? 'already there (same digest, nothing changed)' : verb;
  process.stdout.write(`${outcome} ${destination}\n  digest ${written.digest}\n  reference ${written.reference}\n`);
  if (written.guardOutcome === undefined) process.stderr.write(`lading: ${unguardedTagWarning}\n`);
}

/** OciErrors are the user's to fix (a tag taken, a bad archive, a refused copy): one sentence. */
export async function asUserError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof OciError) throw new UserError(error.message);
    throw error;
  }
}

export async function publishArchive(file: string, reference: string, force: boolean, signKey?: string): Promise<void> {
  const target = tagDestination(reference);
  const client = await registryClientFor(target.registry);
  const written = await asUserError(() => publishBundleArchive(resolve(file), client, target.repository, target.tag, force));
  reportTagWritten(written.guardOutcome === 'replaced' ? 'replaced' : 'published', reference, written);
  if (signKey) await signPublished(written.reference, signKey, force);
}

export function registerRelocationCommands(program: Command): void {
  program
    .command('archive')
    .argument('<file>', 'the archive to write')
    .requiredOption('--reference <ref>', 'the bundle to archive (tag or digest)')
    .option('--compression <kind>', 'gzip or none', 'gzip')
    .description('Write a thick archive of a bundle (OCI layout in a tar: index, invocation and referenced images), the same bytes for the same bundle digest every time')
    .action(async (file: string, options: { reference: string; compression: string }) => {
      if (!archiveCompressions.includes(options.compression as ArchiveCompression)) {
        throw new UserError(`--compression must be ${archiveCompressions.join(' or ')}, not ${JSON.stringify(options.compression)}`);
      }
      const source = await pinnedSource(options.reference);
      let reported = 0;
      const onProgress = (written: number, total: number) => {
        if (total < progressFrom || (written - reported < total / 10 && written !== total)) return;
        reported = written;
        process.stderr.write(`archive: ${mib(written)} of ${mib(total)}\n`);
      };
      const archived = await asUserError(() =>
        writeBundleArchive(source.client, source.repository, source.digest, resolve(file), { compression: options.compression as ArchiveCompression, onProgress }),
      );
      process.stdout.write(
        `archived ${source.registry}/${source.repository}@${source.digest} → ${file}\n  ${archived.blobs} blobs, ${mib(archived.bytes)}\n  sha256 ${await fileSha256(resolve(file))}\n`,
      );
    });

  program
    .command('copy')
    .requiredOption('--source <ref>', 'the bundle to copy (tag or digest)')
    .requiredOption('--destination <ref>', 'where to put it: <registry>/<repository>:<tag>')
    .option('--force', 'replace the destination tag if it holds another bundle', false)
    .option('--sign <keyfile>', 'sign the copy (bundle and every image, by digest) with this cosign private key; passphrase from LADING_KEY_PASSWORD')
    .description('Copy a bundle with all its images by digest to another repository or registry: mounts where allowed, only missing blobs sent')
    .action(async (options: { source: string; destination: string; force: boolean; sign?: string }) => {
      const target = tagDestination(options.destination);
      const source = await pinnedSource(options.source);
      const to = await registryClientFor(target.registry);
      const written = await asUserError(() =>
        copyBundle({ from: source.client, fromRepo: source.repository, digest: source.digest, to, toRepo: target.repository, tag: target.tag, force: options.force }),
      );
      reportTagWritten(written.guardOutcome === 'replaced' ? 'replaced' : 'copied to', options.destination, written);
      if (options.sign) await signPublished(written.reference, options.sign, options.force);
    });
}
