/**
 * The one vocabulary of failures. Every domain error carries one of these codes; it crosses the
 * bus as the reply's `error.code`, and the CLI exits with the code's `exitCode`. `meaning` is what
 * the code tells the person who reads it (README's error table is checked against it).
 */
export const errorVocabulary = {
  invalid_request: { exitCode: 1, meaning: 'the input is wrong (a document, a name, a reference, a value): fix it and try again' },
  not_found: { exitCode: 1, meaning: 'what was named does not exist where it was looked for' },
  conflict: { exitCode: 1, meaning: 'it collides with what is there (a tag holding another digest, a name taken, a port in use): the message says how to proceed' },
  dependencies_first: {
    exitCode: 1,
    meaning: 'the bundle requires other bundles, whose action must run before its own: `lading` runs them first; another client must run them itself',
  },
  busy: { exitCode: 75, meaning: 'another action holds what this one needs (an installation, a tag): try again once it has finished (`--wait` for runs)' },
  forbidden: { exitCode: 77, meaning: 'the caller may not do this: another namespace, a service credential, or a force it was not granted' },
  unresolvable: { exitCode: 1, meaning: 'a value, secret or image could not be resolved from its source' },
  build_failed: { exitCode: 1, meaning: 'the build ran and failed; its log says why' },
  upstream_failed: { exitCode: 69, meaning: 'a registry, Docker or another service Lading depends on refused or failed' },
  bad_configuration: { exitCode: 78, meaning: 'a setting (an environment variable or a file it names) is refused: the message names it' },
  internal: { exitCode: 70, meaning: 'a fault of Lading itself: the message says where, the service log or `LADING_DEBUG=1` says more; please report it' },
} as const satisfies Record<string, { exitCode: number; meaning: string }>;

export type ErrorCode = keyof typeof errorVocabulary;

export const errorCodes = Object.keys(errorVocabulary) as [ErrorCode, ...ErrorCode[]];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorVocabulary, value);
}
