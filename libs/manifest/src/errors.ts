/** A lading.yaml problem, located as `file:line:col: path message`. */
export class ManifestError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;

  constructor(file: string, line: number, column: number, path: string, problem: string) {
    super(`${file}:${line}:${column}: ${path === '' ? '' : `${path} `}${problem}`);
    this.name = 'ManifestError';
    this.file = file;
    this.line = line;
    this.column = column;
    this.path = path;
  }
}
