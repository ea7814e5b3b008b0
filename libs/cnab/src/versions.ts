/** The bundle.json `schemaVersion` Lading writes, in the form the spec's examples use. */
export const bundleSchemaVersion = 'v1.0.0';
