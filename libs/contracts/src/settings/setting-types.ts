import { CodedError } from '../errors/index.js';

/** A setting whose value cannot be used: the service refuses to start with this one sentence. */
export class SettingError extends CodedError {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super('bad_configuration', message);
  }
}

/**
 * How one setting's text becomes its typed value (OpenTelemetry-JS-style typed readers): `parse`
 * sees the text as set (never empty: an empty variable counts as unset) and refuses, naming the
 * variable, what it cannot use. `shape` says in README what a value looks like.
 */
export interface SettingType<T> {
  readonly shape: string;
  parse(text: string, variable: string): T;
}

const shown = (text: string) => JSON.stringify(text);

export function text(shape = 'text'): SettingType<string> {
  return { shape, parse: (value) => value };
}

/** A whole number in `[min, max]`: `abc`, `1.5`, `1e3`, `-1` or an out-of-range value is refused, never read as NaN. */
export function integer(range: { min: number; max?: number; unit?: string }): SettingType<number> {
  const { min, max = Number.MAX_SAFE_INTEGER, unit } = range;
  const span = max === Number.MAX_SAFE_INTEGER ? `from ${min} up` : `from ${min} to ${max}`;
  const what = `a whole number${unit ? ` of ${unit}` : ''} ${span}`;
  return {
    shape: `integer ${span}${unit ? ` (${unit})` : ''}`,
    parse(value, variable) {
      const number = /^\d{1,16}$/.test(value.trim()) ? Number(value.trim()) : NaN;
      if (!Number.isSafeInteger(number) || number < min || number > max) throw new SettingError(variable, `${variable} must be ${what}, not ${shown(value)}.`);
      return number;
    },
  };
}

export function boolean(): SettingType<boolean> {
  return {
    shape: '`true` or `false`',
    parse(value, variable) {
      if (value === 'true' || value === 'false') return value === 'true';
      throw new SettingError(variable, `${variable} must be true or false, not ${shown(value)}.`);
    },
  };
}

export function oneOf<const Choice extends string>(choices: readonly Choice[]): SettingType<Choice> {
  const listed = choices.map((choice) => `\`${choice}\``).join(' or ');
  return {
    shape: listed,
    parse(value, variable) {
      if ((choices as readonly string[]).includes(value.trim())) return value.trim() as Choice;
      throw new SettingError(variable, `${variable} must be ${choices.join(' or ')}, not ${shown(value)}.`);
    },
  };
}

/** Comma-separated entries, blanks dropped. */
export function list(shape = 'comma-separated list'): SettingType<string[]> {
  return {
    shape,
    parse: (value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
  };
}

/** An http:// or https:// URL. */
export function url(): SettingType<URL> {
  return {
    shape: 'URL',
    parse(value, variable) {
      try {
        const parsed = new URL(value);
        if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed;
      } catch {
        // Refused below, with the variable's name.
      }
      throw new SettingError(variable, `${variable} must be a URL such as http://127.0.0.1:5001, not ${shown(value)}.`);
    },
  };
}
