import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { baseImageReference, buildContextLimits, endpoints } from '@lading/contracts';
import { bundleTag, scaffoldFiles, scaffoldPorterFiles } from '@lading/manifest';
import { dockerfileTemplateOf } from '../manifest-file.js';
import { packBundleContext } from '@lading/runtime';
import { callEndpoint } from '@lading/service-kit/client';
import { readBuiltBundle, writeBuiltBundle } from '../bundle-dir.js';
import { fetchBundle } from '../bundle-fetch.js';
import { describeBundle } from '../bundle-description.js';
import { parseOutputFormat, printResult, renderTable } from '../output.js';
import { relocationColumns, relocationRows } from '../bundle-trust-view.js';
import { ladingHome, withSession } from '../session.js';
import { defaultPorts, readStackFile } from '@lading/stack';
import { uploadBuildContext } from '../upload-context.js';
import { publishArchive } from './relocation.js';
import { signPublished } from '../signing-keys.js';
import { UserError } from '../user-error.js';

export function registerBundleCommands(program: Command): void {
  program
    .command('create')
    .argument('[dir]', 'directory for the new bundle', '.')
    .option('--name <name>', 'bundle name (default: the directory name)')
    .option('--porter', 'write porter.yaml, helpers.sh and .dockerignore as `porter create` does', false)
    .description('Scaffold a bundle: lading.yaml with the exec mixin, a credential as env and one as a file, a parameter, an output and an image')
    .action(async (dir: string, options: { name?: string; porter: boolean }) => {
      const target = resolve(dir);
      const existing: string[] = await readdir(target).catch(() => []);
      const taken = ['lading.yaml', 'porter.yaml'].find((file) => existing.includes(file));
      if (taken !== undefined) throw new UserError(`${dir} already has a ${taken}: nothing was changed`);
      const stack = await readStackFile(ladingHome()).catch(() => undefined);
      const registry = stack?.frontDoor ?? `127.0.0.1:${defaultPorts.guard}`;
      const name = (options.name ?? basename(target)).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
      const files = options.porter
        ? scaffoldPorterFiles({ name, registry: `${registry}/bundles` })
        : scaffoldFiles({ name, registry: `${registry}/bundles`, baseImage: baseImageReference(registry, 'busybox') });
      const clash = Object.keys(files).find((file) => existing.includes(file));
      if (clash !== undefined) throw new UserError(`${dir} already has a ${clash}: nothing was changed`);
      await mkdir(target, { recursive: true });
      for (const [file, text] of Object.entries(files)) await writeFile(join(target, file), text, { flag: 'wx', mode: file.endsWith('.sh') ? 0o755 : 0o644 });
      const manifestFile = options.porter ? 'porter.yaml' : 'lading.yaml';
      process.stdout.write(`created bundle ${name} in ${dir}: edit ${manifestFile}, then run \`lading build --dir ${dir}\`\n`);
    });

  program
    .command('build')
    .option('--dir <dir>', 'bundle directory', '.')
    .option('--registry <registry>', 'publish under this registry instead of the manifest\'s (as Porter\'s --registry)')
    .option('--reference <ref>', 'publish as this reference instead of <registry>/<name>:v<version>')
    .description('Build the bundle from lading.yaml (or porter.yaml): pin every image to a digest, build the invocation image (non-root) and push it by digest')
    .action(async (options: { dir: string; registry?: string; reference?: string }) => {
      if (options.registry !== undefined && options.reference !== undefined) throw new UserError('give --registry or --reference, not both');
      const keep = await dockerfileTemplateOf(resolve(options.dir));
      const archive = await packBundleContext(resolve(options.dir), { maxBytes: buildContextLimits.maxBytes, keep });
      const destination = { ...(options.registry === undefined ? {} : { registry: options.registry }), ...(options.reference === undefined ? {} : { reference: options.reference }) };
      const built = await withSession(async ({ nc }) =>
        callEndpoint(nc, endpoints.build, { context: await uploadBuildContext(nc, archive), ...destination }, { timeoutMs: 600_000 }),
      );
      for (const line of built.log) process.stdout.write(`  ${line}\n`);
      const path = await writeBuiltBundle(options.dir, built);
      process.stdout.write(`built ${built.tag} → ${path}\n`);
    });

  program
    .command('publish')
    .option('--dir <dir>', 'bundle directory (after `lading build`)', '.')
    .option('--reference <ref>', 'publish to this tag instead of <registry>/<name>:v<version>')
    .option('--registry <registry>', 'publish as <registry>/<name>:v<version> instead (as Porter\'s --registry)')
    .option('--force', 'replace the tag if it holds another bundle (only for principals allowed to force)', false)
    .option('--archive <file>', 'publish a bundle archive (`lading archive`) to --reference instead, into any registry, digests unchanged')
    .option('--sign <keyfile>', 'sign the published bundle and every image it lists, by digest, with this cosign private key; passphrase from LADING_KEY_PASSWORD')
    .description('Publish the built bundle as CNAB-in-OCI through the registry guard; an existing tag is never replaced without --force')
    .action(async (options: { dir: string; reference?: string; registry?: string; force: boolean; archive?: string; sign?: string }) => {
      if (options.registry !== undefined && options.reference !== undefined) throw new UserError('give --registry or --reference, not both');
      if (options.archive !== undefined) {
        if (!options.reference) throw new UserError('--archive needs --reference <registry>/<repository>:<tag>, where to publish it');
        return publishArchive(options.archive, options.reference, options.force, options.sign);
      }
      const built = await readBuiltBundle(options.dir);
      const tag =
        options.reference ??
        (options.registry === undefined
          ? built.tag
          : bundleTag({ registry: options.registry.replace(/\/+$/, ''), name: String(built.bundle.name), version: String(built.bundle.version) }));
      const published = await withSession(({ nc }) =>
        callEndpoint(nc, endpoints.publish, { bundle: built.bundle, tag, force: options.force }, { timeoutMs: 600_000 }),
      );
      const what = { created: 'published', unchanged: 'already published (same digest, nothing changed)', replaced: 'replaced' }[published.outcome];
      process.stdout.write(`${what} ${published.tag}\n  digest ${published.digest}\n  reference ${published.reference}\n`);
      if (published.previousDigest) process.stdout.write(`  previous ${published.previousDigest}\n`);
      if (options.sign) await signPublished(published.reference, options.sign, options.force);
    });

  program
    .command('inspect')
    .argument('[ref]', 'bundle reference (tag or digest) in the registry')
    .option('--dir <dir>', 'a built bundle directory instead of a reference')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .description('Show a bundle: its invocation image and every referenced image, by digest')
    .action(async (ref: string | undefined, options: { dir?: string; output: string }) => {
      const format = parseOutputFormat(options.output);
      const bundle = await fetchBundle(ref, options.dir);
      const rows = describeBundle(bundle).images;
      printResult(format, bundle, { rows, columns: ['kind', 'name', 'image', 'digest'] });
      // Where the images are now and whether they are signed: known only for a bundle in a registry.
      if (ref && format === 'table') process.stdout.write(`\n${renderTable(await relocationRows(ref, bundle), relocationColumns)}`);
    });

  program
    .command('explain')
    .argument('[ref]', 'bundle reference (tag or digest) in the registry')
    .option('--dir <dir>', 'a built bundle directory instead of a reference')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .description('Explain how to use a bundle: its credentials, parameters, outputs and actions')
    .action(async (ref: string | undefined, options: { dir?: string; output: string }) => {
      const format = parseOutputFormat(options.output);
      const bundle = await fetchBundle(ref, options.dir);
      const relocation = ref ? await relocationRows(ref, bundle) : undefined;
      const description = { ...describeBundle(bundle), ...(relocation ? { relocation } : {}) };
      printResult(format, description, { rows: description.entries, columns: ['kind', 'name', 'type', 'required', 'sensitive', 'applyTo', 'delivery'] });
      if (relocation && format === 'table') process.stdout.write(`\n${renderTable(relocation, relocationColumns)}`);
    });
}
