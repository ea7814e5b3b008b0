import { MANIFEST_FILE_NAME } from './constants.js';
import type { TemplateDelimiters } from './templates.js';
import type { ManifestDialect } from './types.js';

/** The file Porter users already have; read with Porter's meanings when there is no lading.yaml. */
export const PORTER_MANIFEST_FILE_NAME = 'porter.yaml';

/** The manifest files a bundle directory may hold, the native one first: the first present is read. */
export const manifestFileNames = [MANIFEST_FILE_NAME, PORTER_MANIFEST_FILE_NAME] as const;

export function dialectOf(fileName: string): ManifestDialect {
  return fileName === PORTER_MANIFEST_FILE_NAME || fileName.endsWith(`/${PORTER_MANIFEST_FILE_NAME}`) ? 'porter' : 'lading';
}

/** porter.yaml schema versions Porter reads (1.1.0 and 1.2.0 behind its experimental flags); 1.0.1 when left out. */
export const porterSchemaVersions = ['1.0.0-alpha.1', '1.0.0', '1.0.1', '1.1.0', '1.2.0'] as const;
export const porterDefaultSchemaVersion = '1.0.1';

/** Porter switched its template delimiters from `{{ }}` to `${ }` after 1.0.0-alpha.1. */
export function porterDelimiters(schemaVersion: string): TemplateDelimiters {
  return schemaVersion === '1.0.0-alpha.1' ? 'braces' : 'dollar';
}

/** Porter's environment variable for a parameter that names neither env nor path: upper case, `-` and `.` as `_`. */
export function porterEnvName(parameter: string): string {
  return parameter.toUpperCase().replace(/[-.]/g, '_');
}
