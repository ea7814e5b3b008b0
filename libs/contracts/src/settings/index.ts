/**
 * How a process reads its environment: typed, validated tables of variables, one per service (see
 * @lading/service-kit/settings for the services' and the CLI's tables). The machinery lives here, at
 * the bottom of the dependency graph, so that libs below service-kit (telemetry) declare their own
 * rows with it instead of reading process.env by hand.
 */
export { readSetting, readSettings, settingsTable, type Setting, type SettingsTable, type SettingValues } from './read-settings.js';
export { boolean, integer, list, oneOf, text, url, SettingError, type SettingType } from './setting-types.js';
export { runContainerDefaults } from './run-container-defaults.js';
