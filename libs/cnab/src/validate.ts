import type { ErrorObject } from 'ajv';
import { CnabValidationError } from './errors.js';
import { validatorFor, type SchemaName } from './schemas.js';
import type {
  Bundle,
  BundleStatus,
  Claim,
  ClaimResult,
  CnabDocumentKind,
  CnabProblem,
  CredentialSet,
  Dependencies,
  Installation,
  ParameterSet,
  ParameterSources,
  RelocationMapping,
} from './types.js';

/** Turns a JSON pointer (`/invocationImages/0/image`) into a path a person reads (`invocationImages[0].image`). */
function pointerToPath(pointer: string, extra?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  let path = '';
  for (const part of parts) {
    if (/^\d+$/.test(part)) path += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) path += path === '' ? part : `.${part}`;
    else path += `[${JSON.stringify(part)}]`;
  }
  return path === '' ? '(root)' : path;
}

function toProblem(error: ErrorObject): CnabProblem {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    return { path: pointerToPath(error.instancePath, String(params.missingProperty)), message: 'is required' };
  }
  if (error.keyword === 'additionalProperties') {
    return { path: pointerToPath(error.instancePath, String(params.additionalProperty)), message: 'is not allowed' };
  }
  if (error.keyword === 'enum') {
    const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
    return { path: pointerToPath(error.instancePath), message: `must be one of ${allowed}` };
  }
  return { path: pointerToPath(error.instancePath), message: error.message ?? 'is invalid' };
}

function validateAs<T>(schema: SchemaName, kind: CnabDocumentKind, document: unknown): T {
  const validate = validatorFor(schema);
  if (validate(document)) return document as T;
  const seen = new Set<string>();
  const problems: CnabProblem[] = [];
  for (const error of validate.errors ?? []) {
    const problem = toProblem(error);
    const key = `${problem.path} ${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  throw new CnabValidationError(kind, problems);
}

export const validateBundle = (doc: unknown): Bundle => validateAs('bundle', 'bundle', doc);
export const validateClaim = (doc: unknown): Claim => validateAs('claim', 'claim', doc);
export const validateClaimResult = (doc: unknown): ClaimResult => validateAs('claimResult', 'claim result', doc);
export const validateCredentialSet = (doc: unknown): CredentialSet =>
  validateAs('credentialSet', 'credential set', doc);
export const validateParameterSet = (doc: unknown): ParameterSet => validateAs('parameterSet', 'parameter set', doc);
export const validateInstallation = (doc: unknown): Installation => validateAs('installation', 'installation', doc);
export const validateRelocationMapping = (doc: unknown): RelocationMapping =>
  validateAs('relocationMapping', 'relocation mapping', doc);
export const validateStatus = (doc: unknown): BundleStatus => validateAs('status', 'status', doc);
export const validateDependencies = (doc: unknown): Dependencies => validateAs('dependencies', 'dependencies', doc);
export const validateParameterSources = (doc: unknown): ParameterSources =>
  validateAs('parameterSources', 'parameter sources', doc);
