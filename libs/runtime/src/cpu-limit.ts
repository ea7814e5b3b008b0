import { runContainerDefaults } from '@lading/contracts/settings';
import { RuntimeError } from './errors.js';

export const defaultNanoCpus = runContainerDefaults.cpus * 1_000_000_000;

/** Parses a CPU count such as `0.5` or `2` into Docker's NanoCpus; one sentence when it is not one. */
export function parseCpuLimit(variable: string, value: string | undefined): number {
  if (value === undefined || value.trim() === '') return defaultNanoCpus;
  const cpus = /^\d{1,4}(?:\.\d{1,3})?$/.test(value.trim()) ? Number(value) : NaN;
  if (!(cpus >= 0.01)) {
    throw new RuntimeError('invalid-configuration', `${variable} is a number of CPUs from 0.01 up (for example 0.5 or 2), not ${JSON.stringify(value)}.`);
  }
  return Math.round(cpus * 1e9);
}
