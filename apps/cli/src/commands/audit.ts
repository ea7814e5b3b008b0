import type { Command } from 'commander';
import { endpoints } from '@lading/contracts';
import { callEndpoint } from '@lading/service-kit/client';
import { parseOutputFormat, printResult } from '../output.js';
import { withSession } from '../session.js';
import { UserError } from '../user-error.js';

function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit <= 0) throw new UserError(`--limit must be a positive whole number, not "${value}"`);
  return limit;
}

/** `lading audit tags`: every forced tag overwrite the registry guard recorded. */
export function registerAuditCommands(program: Command): void {
  const group = program.command('audit').description('Read the audit trails the services keep');

  group
    .command('tags')
    .option('--limit <count>', 'only the most recent entries')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .description('List forced tag overwrites (who replaced which digest with which, and when), oldest first')
    .action(async (options: { limit?: string; output: string }) => {
      const format = parseOutputFormat(options.output);
      const limit = parseLimit(options.limit);
      const { entries } = await withSession(({ nc }) => callEndpoint(nc, endpoints.tagAudit, { limit }));
      const rows = entries.map((entry) => ({ ...entry, newDigest: entry.newDigest ?? '(deleted)' }));
      printResult(format, entries, { rows, columns: ['at', 'principal', 'repository', 'tag', 'oldDigest', 'newDigest'] });
    });
}
