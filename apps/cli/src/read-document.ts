import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { nestingProblem, nestsTooDeep } from '@lading/cnab';
import { UserError } from './user-error.js';

/** Reads a JSON or YAML document (by extension; YAML is a superset for anything else). */
export async function readDocument(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserError(`cannot read ${file}: check the path`);
  }
  let document: unknown;
  try {
    document = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    // A parser runs out of stack on a document nested thousands of levels deep.
    if (error instanceof RangeError) throw new UserError(`${file} ${nestingProblem}: nothing was applied`);
    throw new UserError(`${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (nestsTooDeep(document)) throw new UserError(`${file} ${nestingProblem}: nothing was applied`);
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new UserError(`${file} must hold one object (a CNAB set document)`);
  }
  return document as Record<string, unknown>;
}
