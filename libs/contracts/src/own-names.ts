// Names of parameters, credentials, outputs, required bundles and set entries are chosen by whoever
// wrote a bundle or a set. Indexing a plain object with such a name reaches Object.prototype:
// `values.constructor` is a function, not "absent", and `'toString' in values` is true. Assigning
// `__proto__` replaces the object's prototype instead of storing a value. These helpers read and
// build records by their own names only; every lookup of such a name goes through them.

/** The one name an assignment and JSON read through zod do not keep as an ordinary key. */
export const prototypeName = '__proto__';

/**
 * What is said of a `__proto__` name where names enter Lading (porter.yaml, bundle.json, sets,
 * --param), after the name: such a name is refused there, never carried on.
 */
export const prototypeNameProblem = `is reserved: JavaScript objects take ${prototypeName} for their prototype, not for a name; choose another name`;

/** Whether `record` has a value of its own called `name` (never one its prototype lends). */
export function hasOwnName(record: object | undefined, name: string): boolean {
  return record !== undefined && Object.hasOwn(record, name);
}

/** The value `record` holds under `name` itself, or undefined: `constructor` is absent unless given. */
export function ownValue<T>(record: Readonly<Record<string, T>> | undefined, name: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, name) ? record[name] : undefined;
}

/**
 * A record with no prototype, for values keyed by names a bundle or a set chose: a lookup of a name
 * it does not hold is undefined, and `__proto__` is stored as an ordinary key.
 */
export function ownRecord<T>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
  const record = Object.create(null) as Record<string, T>;
  for (const [name, value] of entries) record[name] = value;
  return record;
}
