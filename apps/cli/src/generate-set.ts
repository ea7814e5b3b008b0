import { parseManifest } from '@lading/manifest';
import { readManifestFile } from './manifest-file.js';

/** Env-var names for a set entry: `api-token` → `API_TOKEN`. */
function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/** A CNAB credential or parameter set mapping each of a bundle's entries to an env source. */
export async function generateSetDocument(kind: 'credentials' | 'parameters', name: string, dir: string) {
  const { file, text } = await readManifestFile(dir);
  const manifest = parseManifest(text, file);
  const declared = kind === 'credentials' ? manifest.credentials : manifest.parameters;
  const now = new Date().toISOString();
  return {
    schemaVersion: '1.0.1',
    name,
    created: now,
    modified: now,
    [kind]: (declared ?? []).map((entry: { name: string }) => ({ name: entry.name, source: { env: envName(entry.name) } })),
  };
}
