import type { SettingsTable } from '@lading/contracts/settings';
import { telemetrySettings } from '@lading/telemetry/settings';
import { brokerSettings } from './broker-settings.js';
import { cliSettings } from './cli-settings.js';
import { builderSettings } from './builder-settings.js';
import { guardSettings } from './guard-settings.js';
import { runnerSettings } from './runner-settings.js';
import { serviceSettings } from './service-settings.js';

/** Every service's table, by the name README uses for it; `all` is what each of them reads. */
export const settingsTables: ReadonlyArray<readonly [string, SettingsTable]> = [
  ['all', serviceSettings],
  ['registry-guard', guardSettings],
  ['builder', builderSettings],
  ['runner', runnerSettings],
  ['secret-broker', brokerSettings],
  ['all, cli', telemetrySettings],
  ['cli', cliSettings],
];

/** README's configuration table, made from the tables: one row per variable, with who reads it. */
export function renderSettingsTable(): string {
  const rows = new Map<string, { users: string[]; shape: string; fallback: string; meaning: string }>();
  for (const [user, table] of settingsTables) {
    for (const setting of Object.values(table)) {
      const row = rows.get(setting.name);
      if (row) row.users.push(user);
      else rows.set(setting.name, { users: [user], shape: setting.type.shape, fallback: setting.default === undefined ? '' : `\`${setting.default}\``, meaning: setting.meaning });
    }
  }
  const lines = ['| variable | used by | value | default | meaning |', '|---|---|---|---|---|'];
  for (const [name, row] of rows) lines.push(`| \`${name}\` | ${row.users.join(', ')} | ${row.shape} | ${row.fallback} | ${row.meaning} |`);
  return `${lines.join('\n')}\n`;
}
