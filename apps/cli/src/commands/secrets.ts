import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { valueSizeProblem } from '@lading/cnab';
import { endpoints } from '@lading/contracts';
import { callEndpoint } from '@lading/service-kit/client';
import { brokerPublicKey, storeSecret } from '../broker-sealing.js';
import { parseOutputFormat, printResult } from '../output.js';
import { withSession } from '../session.js';
import { UserError } from '../user-error.js';

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Every `lading secrets` command works in one namespace, the default one unless told. */
const namespaceOption = ['-n, --namespace <namespace>', 'the namespace the secret belongs to (a `secret:` source of a set in that namespace names it)', ''] as const;

/** `lading secrets …`: the built-in encrypted store. Values travel sealed to the broker's key. */
export function registerSecretCommands(program: Command): void {
  const group = program.command('secrets').description('Manage values in the built-in encrypted secret store');

  group
    .command('set')
    .argument('<name>')
    .option('--from-file <file>', 'read the value from a file')
    .option('--from-stdin', 'read the value from standard input')
    .option(...namespaceOption)
    .description('Store a value (sealed to the secret-broker before it leaves this process; never an argument)')
    .action(async (name: string, options: { fromFile?: string; fromStdin?: boolean; namespace: string }) => {
      if (Boolean(options.fromFile) === Boolean(options.fromStdin)) {
        throw new UserError('give exactly one of --from-file FILE or --from-stdin');
      }
      const value = options.fromFile
        ? await readFile(options.fromFile).catch(() => {
            throw new UserError(`cannot read ${options.fromFile}: check the path`);
          })
        : await readStdin();
      if (value.length === 0) throw new UserError('the value is empty: nothing was stored');
      const tooLarge = valueSizeProblem(`secret ${name}`, value, false);
      if (tooLarge) throw new UserError(`${tooLarge}: nothing was stored`);
      await withSession(async ({ nc }) => {
        await storeSecret(nc, await brokerPublicKey(nc), name, value, options.namespace);
      });
      process.stdout.write(`stored secret ${name}${options.namespace ? ` in namespace ${options.namespace}` : ''}\n`);
    });

  group
    .command('list')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .option(...namespaceOption)
    .description('List the secret names of one namespace (never values)')
    .action(async (options: { output: string; namespace: string }) => {
      const format = parseOutputFormat(options.output);
      const { names } = await withSession(({ nc }) => callEndpoint(nc, endpoints.secretsList, { namespace: options.namespace }));
      printResult(format, names, { rows: names.map((name) => ({ name })), columns: ['name'] });
    });

  group
    .command('rotate-key')
    .description('Re-encrypt every value of the built-in store under a new at-rest key; the old key is deleted once nothing uses it')
    .action(async () => {
      const { rewritten, keyId } = await withSession(({ nc }) => callEndpoint(nc, endpoints.secretsRotateKey, {}));
      process.stdout.write(`rotated the store key: ${rewritten} record${rewritten === 1 ? '' : 's'} re-encrypted under key ${keyId}\n`);
    });

  group
    .command('delete')
    .argument('<name>')
    .option(...namespaceOption)
    .description('Delete a secret')
    .action(async (name: string, options: { namespace: string }) => {
      await withSession(({ nc }) => callEndpoint(nc, endpoints.secretsDelete, { name, namespace: options.namespace }));
      process.stdout.write(`deleted secret ${name}\n`);
    });
}
