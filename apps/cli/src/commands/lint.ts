import type { Command } from 'commander';
import { ManifestError, parseManifest } from '@lading/manifest';
import { readManifestFile } from '../manifest-file.js';
import { UserError } from '../user-error.js';

export function registerLintCommand(program: Command): void {
  program
    .command('lint')
    .option('--dir <dir>', 'bundle directory', '.')
    .description('Check the bundle\'s lading.yaml (or porter.yaml) without building: every problem, each with file:line:col')
    .action(async (options: { dir: string }) => {
      const { file, text } = await readManifestFile(options.dir);
      try {
        const manifest = parseManifest(text, file);
        const meaning = manifest.dialect === 'porter' ? ' with Porter\'s meanings' : '';
        process.stdout.write(`${file}: no problems (bundle ${manifest.name} ${manifest.version}, read${meaning})\n`);
      } catch (error) {
        if (!(error instanceof ManifestError)) throw error;
        for (const problem of error.problems) process.stdout.write(`${problem.text}\n`);
        const count = error.problems.length;
        throw new UserError(`${count} problem${count === 1 ? '' : 's'} in ${file}; nothing was built`);
      }
    });
}
