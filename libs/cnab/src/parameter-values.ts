/**
 * The text forms of typed parameter values, as given on the command line or by a set. Strict:
 * exactly what JSON would write for the value, so `"  5"`, `Infinity`, `0x1f`, `1e999` or `05`
 * are refused rather than read as something the user did not type.
 */
const grammars: Record<string, RegExp> = {
  integer: /^-?(?:0|[1-9][0-9]*)$/,
  number: /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/,
  boolean: /^(?:true|false)$/,
};

const examples: Record<string, string> = {
  integer: 'an integer such as 42 or -7',
  number: 'a number such as 3, -0.5 or 1e6',
  boolean: 'true or false',
};

/** Why `value` is not a value of `type` for parameter `name`, or undefined when it is one. */
export function parameterValueProblem(name: string, type: string | undefined, value: string): string | undefined {
  const grammar = type === undefined ? undefined : grammars[type];
  if (grammar === undefined) return undefined;
  const fits = grammar.test(value) && (type === 'boolean' || Number.isFinite(Number(value)));
  const safe = type !== 'integer' || Number.isSafeInteger(Number(value));
  if (fits && safe) return undefined;
  return `parameter ${name} must be ${examples[type as string]}, written plainly; got ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
}
