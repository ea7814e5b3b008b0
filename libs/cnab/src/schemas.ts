import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import bundleSchema from '../schema/bundle.schema.json' with { type: 'json' };
import claimResultSchema from '../schema/claim-result.schema.json' with { type: 'json' };
import claimResultV2Schema from '../schema/claim-result.v2.schema.json' with { type: 'json' };
import claimSchema from '../schema/claim.schema.json' with { type: 'json' };
import claimV2Schema from '../schema/claim.v2.schema.json' with { type: 'json' };
import credentialSetSchema from '../schema/credential-set.schema.json' with { type: 'json' };
import definitionsSchema from '../schema/definitions.schema.json' with { type: 'json' };
import dependenciesSchema from '../schema/dependencies.schema.json' with { type: 'json' };
import installationSchema from '../schema/installation.schema.json' with { type: 'json' };
import parameterSetSchema from '../schema/parameter-set.schema.json' with { type: 'json' };
import parameterSourcesSchema from '../schema/parameter-sources.schema.json' with { type: 'json' };
import relocationMappingSchema from '../schema/relocation-mapping.schema.json' with { type: 'json' };
import statusSchema from '../schema/status.schema.json' with { type: 'json' };

// Vendored copies of the CNAB spec schemas: the project never reads ../shared at run time. They are
// imported rather than read from a directory so that a bundle carries them inside.
const vendoredSchemas: Record<string, Record<string, unknown>> = {
  'bundle.schema.json': bundleSchema,
  'claim-result.schema.json': claimResultSchema,
  'claim-result.v2.schema.json': claimResultV2Schema,
  'claim.schema.json': claimSchema,
  'claim.v2.schema.json': claimV2Schema,
  'credential-set.schema.json': credentialSetSchema,
  'definitions.schema.json': definitionsSchema,
  'dependencies.schema.json': dependenciesSchema,
  'installation.schema.json': installationSchema,
  'parameter-set.schema.json': parameterSetSchema,
  'parameter-sources.schema.json': parameterSourcesSchema,
  'relocation-mapping.schema.json': relocationMappingSchema,
  'status.schema.json': statusSchema,
};

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
  for (const [file, schema] of Object.entries(vendoredSchemas)) {
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
