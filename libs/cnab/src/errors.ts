import type { CnabDocumentKind, CnabProblem } from '@lading/contracts';
import { CodedError } from '@lading/contracts/errors';

const listedProblems = 5;

/** A document that does not match its CNAB JSON Schema; the message lists where and why. */
export class CnabValidationError extends CodedError {
  readonly kind: CnabDocumentKind;
  readonly problems: CnabProblem[];

  constructor(kind: CnabDocumentKind, problems: CnabProblem[]) {
    const shown = problems.slice(0, listedProblems).map((p) => `${p.path} ${p.message}`);
    const more = problems.length > listedProblems ? `; and ${problems.length - listedProblems} more` : '';
    super('invalid_request', `Invalid CNAB ${kind}: ${shown.join('; ')}${more}. Fix the document so it follows the CNAB ${kind} schema.`);
    this.kind = kind;
    this.problems = problems;
  }
}
