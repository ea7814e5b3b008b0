import { stringify as toYaml } from 'yaml';
import { oneLine } from './terminal-text.js';
import { UserError } from './user-error.js';

export const outputFormats = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof outputFormats)[number];

export function parseOutputFormat(value: string): OutputFormat {
  if ((outputFormats as readonly string[]).includes(value)) return value as OutputFormat;
  throw new UserError(`unknown output format "${value}": use one of ${outputFormats.join(', ')}`);
}

export type Row = Record<string, string | number | boolean | undefined>;

/** Renders rows as an aligned text table with upper-case headers; no cell can break its row or drive the terminal. */
export function renderTable(rows: Row[], columns: string[]): string {
  if (rows.length === 0) return '(none)\n';
  const cells = rows.map((row) => columns.map((column) => oneLine(String(row[column] ?? ''))));
  const headers = columns.map((column) => column.toUpperCase());
  const widths = headers.map((header, index) => Math.max(header.length, ...cells.map((line) => line[index].length)));
  const line = (values: string[]) => values.map((value, index) => value.padEnd(widths[index])).join('   ').trimEnd();
  return [line(headers), ...cells.map(line)].join('\n') + '\n';
}

/** Prints a document in the chosen format; `table` uses the given rows and columns. */
export function printResult(format: OutputFormat, document: unknown, table: { rows: Row[]; columns: string[] }): void {
  if (format === 'json') process.stdout.write(JSON.stringify(document, null, 2) + '\n');
  else if (format === 'yaml') process.stdout.write(toYaml(document));
  else process.stdout.write(renderTable(table.rows, table.columns));
}
