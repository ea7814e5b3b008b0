import { runContainerDefaults } from '@lading/contracts/settings';
import { RuntimeError } from './errors.js';
import type { Egress } from './run-network.js';

/** `on` or `off` (no network at all); unset, the default of runContainerDefaults. */
export function parseEgress(variable: string, value: string | undefined): Egress {
  const text = (value ?? '').trim();
  if (text === '') return runContainerDefaults.egress;
  if (text === 'on') return 'on';
  if (text === 'off') return 'off';
  throw new RuntimeError('invalid-configuration', `${variable} is \`on\` or \`off\`, not ${JSON.stringify(value)}.`);
}
