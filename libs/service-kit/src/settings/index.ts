export { readSettings, settingsTable, type Setting, type SettingsTable, type SettingValues } from './read-settings.js';
export { boolean, integer, list, oneOf, text, url, SettingError, type SettingType } from './setting-types.js';
export { serviceSettings } from './service-settings.js';
export { guardSettings } from './guard-settings.js';
export { builderSettings } from './builder-settings.js';
export { brokerSettings, secretStoreSettings } from './broker-settings.js';
export { runnerSettings } from './runner-settings.js';
export { renderSettingsTable, settingsTables } from './settings-tables.js';
