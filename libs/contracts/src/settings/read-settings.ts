import type { SettingType } from './setting-types.js';

/** One row of a service's configuration table. */
export interface Setting<T> {
  readonly name: string;
  readonly type: SettingType<T>;
  /** The text used when the variable is unset, parsed like a set one; none when there is no default. */
  readonly default?: string;
  /** What it means, for README's configuration table (a default that is not a constant is told here). */
  readonly meaning: string;
}

export type SettingsTable = Readonly<Record<string, Setting<unknown>>>;

type ValueOf<S> = S extends Setting<infer T> ? (S extends { readonly default: string } ? T : T | undefined) : never;

/** The typed values of a table: a setting with a default always has a value. */
export type SettingValues<Table extends SettingsTable> = { -readonly [Key in keyof Table]: ValueOf<Table[Key]> };

/** A table, typed as written: each row keeps its value type and whether it has a default. */
export function settingsTable<const Table extends SettingsTable>(table: Table): Table {
  return table;
}

/** The typed value of one setting: its default when the variable is unset or empty. */
export function readSetting<T, S extends Setting<T>>(setting: S & Setting<T>, env: NodeJS.ProcessEnv): ValueOf<S> {
  const set = env[setting.name];
  const text = set === undefined || set === '' ? setting.default : set;
  return (text === undefined ? undefined : setting.type.parse(text, setting.name)) as ValueOf<S>;
}

/**
 * Reads every setting of `table` from `env`, all before the service does anything, so a bad value
 * stops it at start with one sentence naming the variable. An empty variable counts as unset.
 */
export function readSettings<Table extends SettingsTable>(table: Table, env: NodeJS.ProcessEnv): SettingValues<Table> {
  const values: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(table)) values[key] = readSetting(setting, env);
  return values as SettingValues<Table>;
}
