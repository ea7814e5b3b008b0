import type { Command } from 'commander';
import { stringify as toYaml } from 'yaml';
import type { NatsConnection } from '@nats-io/nats-core';
import { endpoints, sealingContexts, valueSetEntries } from '@lading/contracts';
import { seal } from '@lading/secrets';
import { callEndpoint } from '@lading/service-kit/client';
import { parseOutputFormat, printResult } from '../output.js';
import { readDocument } from '../read-document.js';
import { withSession } from '../session.js';
import { generateSetDocument } from '../generate-set.js';
import { brokerPublicKey } from '../broker-sealing.js';

type SetKind = 'credentials' | 'parameters';

const kindEndpoints = {
  credentials: {
    apply: endpoints.credentialsApply,
    list: endpoints.credentialsList,
    show: endpoints.credentialsShow,
    delete: endpoints.credentialsDelete,
  },
  parameters: {
    apply: endpoints.parametersApply,
    list: endpoints.parametersList,
    show: endpoints.parametersShow,
    delete: endpoints.parametersDelete,
  },
} as const;

/**
 * A `value` source is a literal value: it is sealed to the secret-broker here, so it crosses NATS
 * only as ciphertext, and the broker keeps it in the secret store rather than in the set.
 */
async function sealLiteralValues(nc: NatsConnection, kind: SetKind, document: Record<string, unknown>) {
  const entries = document[kind];
  if (!Array.isArray(entries) || !entries.some((entry) => entry?.source && 'value' in entry.source)) return document;
  const publicKey = await brokerPublicKey(nc);
  const namespace = typeof document.namespace === 'string' ? document.namespace : '';
  const sealed = entries.map((entry: { name: string; source?: Record<string, unknown> }) => {
    if (!entry?.source || !('value' in entry.source)) return entry;
    const context = sealingContexts.setValue(kind, namespace, String(document.name), entry.name);
    return { ...entry, source: { sealedValue: seal(Buffer.from(String(entry.source.value)), publicKey, context) } };
  });
  return { ...document, [kind]: sealed };
}

/** `lading credentials …` and `lading parameters …`: CNAB sets of source mappings, never values. */
export function registerSetCommands(program: Command, kind: SetKind): void {
  const noun = kind === 'credentials' ? 'credential set' : 'parameter set';
  const group = program
    .command(kind)
    .description(`Manage ${noun}s: where each value comes from (secret, env, path, command, value). Only mappings are stored.`);
  const calls = kindEndpoints[kind];

  group
    .command('apply')
    .argument('<file>', `a CNAB ${noun} in JSON or YAML`)
    .description(`Store or replace a ${noun} (validated against the CNAB schema)`)
    .action(async (file: string) => {
      const document = await readDocument(file);
      const key = await withSession(async ({ nc }) => callEndpoint(nc, calls.apply, { document: await sealLiteralValues(nc, kind, document) }));
      process.stdout.write(`applied ${noun} ${key.namespace ? `${key.namespace}/` : ''}${key.name}\n`);
    });

  group
    .command('list')
    .description(`List ${noun}s`)
    .option('-n, --namespace <namespace>', 'only this namespace')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .action(async (options: { namespace?: string; output: string }) => {
      const format = parseOutputFormat(options.output);
      const { items } = await withSession(({ nc }) => callEndpoint(nc, calls.list, { namespace: options.namespace }));
      const rows = items.map((item) => ({
        namespace: item.namespace,
        name: item.name,
        entries: item.entries.join(','),
        labels: Object.entries(item.labels).map(([key, value]) => `${key}=${value}`).join(','),
        modified: item.modified,
      }));
      printResult(format, items, { rows, columns: ['namespace', 'name', 'entries', 'labels', 'modified'] });
    });

  group
    .command('show')
    .argument('<name>')
    .description(`Show one ${noun}`)
    .option('-n, --namespace <namespace>', 'namespace', '')
    .option('-o, --output <format>', 'table, json or yaml', 'yaml')
    .action(async (name: string, options: { namespace: string; output: string }) => {
      const format = parseOutputFormat(options.output);
      const { document } = await withSession(({ nc }) => callEndpoint(nc, calls.show, { name, namespace: options.namespace }));
      const rows = valueSetEntries(document).map((entry) => {
        const [sourceKind, reference] = Object.entries(entry.source).map(([source, value]) => [source, String(value)] as const)[0] ?? ['', ''];
        if (sourceKind === 'secret' && reference.startsWith(`set.${kind}.`)) return { name: entry.name, source: 'value', reference: '(kept in the secret store)' };
        return { name: entry.name, source: sourceKind, reference };
      });
      printResult(format, document, { rows, columns: ['name', 'source', 'reference'] });
    });

  group
    .command('delete')
    .argument('<name>')
    .description(`Delete a ${noun}`)
    .option('-n, --namespace <namespace>', 'namespace', '')
    .action(async (name: string, options: { namespace: string }) => {
      await withSession(({ nc }) => callEndpoint(nc, calls.delete, { name, namespace: options.namespace }));
      process.stdout.write(`deleted ${noun} ${name}\n`);
    });

  group
    .command('generate')
    .argument('<name>', `name of the new ${noun}`)
    .requiredOption('--dir <dir>', 'bundle directory whose lading.yaml declares the entries')
    .option('-o, --output <format>', 'json or yaml', 'yaml')
    .description(`Write a starting ${noun} for a bundle, with env sources, to stdout (edit it, then apply it)`)
    .action(async (name: string, options: { dir: string; output: string }) => {
      const document = await generateSetDocument(kind, name, options.dir);
      process.stdout.write(options.output === 'json' ? JSON.stringify(document, null, 2) + '\n' : toYaml(document));
    });
}
