import { prototypeName, prototypeNameProblem } from '@lading/contracts';
import { UserError } from './user-error.js';

/**
 * The parameter name typed in `--param` (`shown` is how it was typed), refused when it is
 * `__proto__`: no record that carries the run's values could hold it, so it would vanish unsaid.
 * Every other name, `constructor` included, is an ordinary name the bundle may declare.
 */
export function paramName(name: string, shown: string): string {
  if (name === prototypeName) throw new UserError(`--param ${shown} ${prototypeNameProblem}`);
  return name;
}
