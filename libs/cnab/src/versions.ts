/** The bundle.json `schemaVersion` Lading writes, in the form the spec's examples use. */
export const bundleSchemaVersion = 'v1.0.0';
/** `schemaVersion` for credential sets, parameter sets and installations (CNAB 802 and 400 drafts). */
export const stateSchemaVersion = '1.0.0';
