import type { ErrorObject } from 'ajv';
import { prototypeName, prototypeNameProblem } from '@lading/contracts';
import { CnabValidationError } from './errors.js';
import { validatorFor, type SchemaName } from './schemas.js';
import { nestingProblem, nestsTooDeep, valueSizeProblem } from './value-limits.js';
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
} from '@lading/contracts';

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

/** Entries of a credential or parameter set named `__proto__`, and literal values larger than any value may be. */
function setEntryProblems(document: unknown): CnabProblem[] {
  const problems: CnabProblem[] = [];
  for (const field of ['credentials', 'parameters']) {
    const entries = (document as Record<string, unknown>)[field];
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry: { name?: unknown; source?: { value?: unknown } }, index) => {
      if (entry?.name === prototypeName) problems.push({ path: `${field}[${index}].name`, message: prototypeNameProblem });
      const value = entry?.source?.value;
      const problem = typeof value === 'string' ? valueSizeProblem('the value', value, false) : undefined;
      if (problem) problems.push({ path: `${field}[${index}].source.value`, message: problem.replace(/^the value /, '') });
    });
  }
  return problems;
}

/**
 * Where a document names something `__proto__`, as a JSON pointer: JSON.parse keeps such a key,
 * but an object Lading builds from it would not, so it is refused before anything reads it.
 */
function prototypeKeyPointer(document: unknown): string | undefined {
  const pending: Array<{ value: unknown; pointer: string }> = [{ value: document, pointer: '' }];
  while (pending.length > 0) {
    const { value, pointer } = pending.pop() as { value: unknown; pointer: string };
    if (typeof value !== 'object' || value === null) continue;
    if (!Array.isArray(value) && Object.hasOwn(value, prototypeName)) return `${pointer}/${prototypeName}`;
    for (const [key, child] of Object.entries(value)) pending.push({ value: child, pointer: `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}` });
  }
  return undefined;
}

function validateAs<T>(schema: SchemaName, kind: CnabDocumentKind, document: unknown): T {
  // Checked first and without recursion: a document this deep would exhaust the stack of what reads it next.
  if (nestsTooDeep(document)) throw new CnabValidationError(kind, [{ path: '(root)', message: nestingProblem }]);
  const reserved = prototypeKeyPointer(document);
  if (reserved !== undefined) throw new CnabValidationError(kind, [{ path: pointerToPath(reserved), message: prototypeNameProblem }]);
  const validate = validatorFor(schema);
  if (validate(document)) {
    const entryProblems = schema === 'credentialSet' || schema === 'parameterSet' ? setEntryProblems(document) : [];
    if (entryProblems.length > 0) throw new CnabValidationError(kind, entryProblems);
    return document as T;
  }
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
