import { readFileSync, readdirSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';

// Vendored copies of the CNAB spec schemas: the project never reads ../shared at run time.
const schemaDir = new URL('../schema/', import.meta.url);

export const schemaIds = {
  bundle: 'https://cnab.io/v1/bundle.schema.json',
  claim: 'https://cnab.io/v1/claim.schema.json',
  claimResult: 'https://cnab.io/v1/claim-result.schema.json',
  credentialSet: 'https://cnab.io/v1/credential-set.schema.json',
  parameterSet: 'https://cnab.io/v1/parameter-set.schema.json',
  installation: 'https://cnab.io/v1/installation.schema.json',
  status: 'https://cnab.io/v1/status.schema.json',
  dependencies: 'https://cnab.io/specs/v1/dependencies.schema.json',
  parameterSources: 'https://cnab.io/specs/v1/parameter-sources.schema.json',
  relocationMapping: 'relocation-mapping.schema.json',
} as const;

export type SchemaName = keyof typeof schemaIds;

let ajv: Ajv | undefined;

function loadAjv(): Ajv {
  // The upstream schemas carry a few slips (a property named additionalProperties, a string
  // default for a boolean) that strict mode would refuse although the documents are fine.
  const instance = new Ajv({ strict: false, allErrors: true });
  ajvFormats.default(instance as never);
  for (const file of readdirSync(schemaDir).filter((f) => f.endsWith('.json')).sort()) {
    const schema = JSON.parse(readFileSync(new URL(file, schemaDir), 'utf8')) as Record<string, unknown>;
    // relocation-mapping.schema.json has no $id: register it by its file name.
    instance.addSchema(schema, typeof schema.$id === 'string' ? undefined : file);
  }
  return instance;
}

export function validatorFor(name: SchemaName): ValidateFunction {
  ajv ??= loadAjv();
  const validate = ajv.getSchema(schemaIds[name]);
  if (!validate) throw new Error(`The CNAB schema ${schemaIds[name]} is missing from libs/cnab/schema; restore it.`);
  return validate;
}
