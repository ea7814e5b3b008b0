import { RuntimeError } from './errors.js';
import type { Egress } from './run-network.js';

/** `on` (the default: bundles deploy to clouds) or `off` (no network at all). */
export function parseEgress(variable: string, value: string | undefined): Egress {
  const text = (value ?? '').trim();
  if (text === '' || text === 'on') return 'on';
  if (text === 'off') return 'off';
  throw new RuntimeError('invalid-configuration', `${variable} is \`on\` or \`off\`, not ${JSON.stringify(value)}.`);
}
