import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { generateSigningKeys } from '@lading/oci';
import { keyPassword } from '../signing-keys.js';
import { UserError } from '../user-error.js';

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('Signing keys in cosign\'s format (cosign and skopeo read them too)');
  keys
    .command('generate')
    .argument('<prefix>', 'writes PREFIX.key (encrypted with LADING_KEY_PASSWORD, mode 0600) and PREFIX.pub')
    .description('Generate an ECDSA P-256 signing key pair')
    .action(async (prefix: string) => {
      const generated = generateSigningKeys(keyPassword());
      for (const [file, text, mode] of [[`${prefix}.key`, generated.privateKey, 0o600], [`${prefix}.pub`, generated.publicKey, 0o644]] as const) {
        await writeFile(file, text, { flag: 'wx', mode }).catch((error: NodeJS.ErrnoException) =>
          Promise.reject(new UserError(error.code === 'EEXIST' ? `${file} already exists: nothing was changed` : `cannot write ${file}: ${error.message}`)),
        );
      }
      process.stdout.write(`wrote ${prefix}.key (private, encrypted) and ${prefix}.pub\n`);
    });
}
