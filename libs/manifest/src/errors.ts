import { CodedError } from '@lading/contracts/errors';
/** One manifest problem, located as `file:line:col: path message`. */
export interface ManifestProblem {
  file: string;
  line: number;
  column: number;
  path: string;
  problem: string;
  /** The whole located sentence. */
  text: string;
}

const locate = (file: string, line: number, column: number, path: string, problem: string): string =>
  `${file}:${line}:${column}: ${path === '' ? '' : `${path} `}${problem}`;

/**
 * The problems of a manifest (lading.yaml or porter.yaml). A reader stops at none of them:
 * `problems` holds every one it found, in document order, and the message is one line each,
 * so a user fixes them all in one round. `file`, `line`, `column` and `path` are the first one's.
 */
export class ManifestError extends CodedError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly problems: readonly ManifestProblem[];

  constructor(file: string, line: number, column: number, path: string, problem: string) {
    super('invalid_request', locate(file, line, column, path, problem));
    this.file = file;
    this.line = line;
    this.column = column;
    this.path = path;
    this.problems = [{ file, line, column, path, problem, text: this.message }];
  }

  /** Every problem of `errors` as one error, sorted by position. */
  static combine(errors: readonly ManifestError[]): ManifestError {
    const problems = errors
      .flatMap((e) => e.problems)
      .filter((p, i, all) => all.findIndex((q) => q.text === p.text) === i)
      .sort((a, b) => a.line - b.line || a.column - b.column);
    const [first] = problems;
    if (first === undefined) throw new Error('ManifestError.combine needs at least one error.');
    const combined = new ManifestError(first.file, first.line, first.column, first.path, first.problem);
    Object.defineProperty(combined, 'problems', { value: problems });
    combined.message = problems.map((p) => p.text).join('\n');
    return combined;
  }
}
