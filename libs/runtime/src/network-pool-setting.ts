import { runContainerDefaults } from '@lading/contracts/settings';
import { RuntimeError } from './errors.js';

export const defaultNetworkPoolSize = runContainerDefaults.networkPool;

/** How many run networks a runner keeps made ahead: a whole number from 0 (make each when its run starts) to 16. */
export function parseNetworkPoolSize(variable: string, value: string | undefined): number {
  const text = (value ?? '').trim();
  if (text === '') return defaultNetworkPoolSize;
  if (!/^\d{1,2}$/.test(text) || Number(text) > 16) {
    throw new RuntimeError('invalid-configuration', `${variable} is a whole number of networks from 0 to 16, not ${JSON.stringify(value)}.`);
  }
  return Number(text);
}
