import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settingsTables } from './index.js';

// Every environment variable production code reads is a row of a settings table: typed, refused
// with one sentence when bad, and listed in README. This walks every production source of every
// lib and app and names each read of a variable that no table declares.
const root = join(import.meta.dirname, '../../../..');

/** Files that read variables whose names are not theirs to choose, and why. */
const namedByOthers: Record<string, string> = {
  'libs/contracts/src/settings/read-settings.ts': 'reads the rows of the tables',
  'libs/stack/src/services.ts': "passes rows of the services' tables on to them by their names",
  'libs/secrets/src/resolve-value.ts': 'a CNAB `env` source names the variable its user chose',
  'libs/execution/src/delivery-plan.ts': "writes a bundle's container environment, reads none",
};

const declared = new Set(settingsTables.flatMap(([, table]) => Object.values(table).map((setting) => setting.name)));

function productionSources(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'libs/*/src', 'apps/*/src'], { cwd: root, encoding: 'utf8' });
  return listed.split('\n').filter((file) => /\.(ts|mts|mjs|js)$/.test(file) && !/\.test\.ts$/.test(file) && !file.startsWith('libs/testkit/'));
}

/** What `text` reads from an environment: `env.NAME`, `env['NAME']`, and `env[…]` with a computed name. */
export function environmentReads(text: string): Array<{ name?: string; computed?: string }> {
  const reads: Array<{ name?: string; computed?: string }> = [];
  for (const match of text.matchAll(/\benv\.([A-Z_][A-Z0-9_]*)\b/g)) reads.push({ name: match[1] });
  for (const match of text.matchAll(/\benv\[\s*(['"`])([A-Z_][A-Z0-9_]*)\1\s*\]/g)) reads.push({ name: match[2] });
  for (const match of text.matchAll(/\benv\[\s*([^\]'"`][^\]]*)\]/g)) {
    // A table's own row (`serviceSettings.natsUrl.name`) is declared by construction.
    if (!/^\w+Settings\.\w+\.name$/.test(match[1]!.trim())) reads.push({ computed: match[1]!.trim() });
  }
  return reads;
}

function undeclaredReads(): string[] {
  const found: string[] = [];
  for (const file of productionSources()) {
    if (file in namedByOthers) continue;
    const text = readFileSync(join(root, file), 'utf8');
    for (const read of environmentReads(text)) {
      if (read.name !== undefined && !declared.has(read.name)) found.push(`${file} reads ${read.name}, which no settings table declares`);
      if (read.computed !== undefined) found.push(`${file} reads env[${read.computed}]: read a table's row with readSetting instead`);
    }
  }
  return found;
}

describe('environment variables', () => {
  it('are read by production code only when a settings table declares them', () => {
    expect(undeclaredReads()).toEqual([]);
  });

  it('would be caught by the walk, in each form a read takes', () => {
    const reads = environmentReads("process.env.LADING_NEW; env['OTEL_NEW']; env[`X_NEW`]; env[name]; env[runnerSettings.runCpus.name]");
    expect(reads).toEqual([{ name: 'LADING_NEW' }, { name: 'OTEL_NEW' }, { name: 'X_NEW' }, { computed: 'name' }]);
    expect(declared.has('LADING_HOME') && declared.has('OTEL_EXPORTER_OTLP_ENDPOINT') && declared.has('LADING_CACHE_DIR')).toBe(true);
  });
});
