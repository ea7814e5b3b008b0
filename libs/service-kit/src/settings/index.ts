export {
  readSetting,
  readSettings,
  settingsTable,
  boolean,
  integer,
  list,
  oneOf,
  text,
  url,
  SettingError,
  type Setting,
  type SettingsTable,
  type SettingValues,
  type SettingType,
} from '@lading/contracts/settings';
export { serviceSettings } from './service-settings.js';
export { guardSettings } from './guard-settings.js';
export { builderSettings } from './builder-settings.js';
export { brokerSettings, secretStoreSettings } from './broker-settings.js';
export { runnerSettings } from './runner-settings.js';
export { cliSettings } from './cli-settings.js';
// The telemetry lib reads its own table; it is listed with the others for README and the walk that checks every read.
export { telemetrySettings } from '@lading/telemetry/settings';
export { renderSettingsTable, settingsTables } from './settings-tables.js';
