import { expect } from 'vitest';
import { leakForms, searchFiles } from './search-files.js';

/**
 * Expects `value`, plain or base64, in none of the CLI's output, the stack home (NATS store,
 * records, service logs, spans) and the Docker containers and layers written since `since`. Each
 * search counts what it read, so a search over nothing fails instead of passing.
 */
export async function expectFoundNowhere(value: string, where: { cliText: string; home: string; since: Date }): Promise<void> {
  const forms = leakForms(value);
  for (const form of forms) expect(where.cliText).not.toContain(form);
  const inHome = await searchFiles(where.home, forms);
  expect(inHome.found).toEqual([]);
  expect(inHome.files, 'files read under the stack home').toBeGreaterThanOrEqual(20);
  const inContainers = await searchFiles('/var/lib/docker/containers', forms, where.since);
  expect(inContainers.found).toEqual([]);
  const inLayers = await searchFiles('/var/lib/docker/overlay2', forms, where.since);
  expect(inLayers.found).toEqual([]);
  expect(inLayers.files, 'files read in Docker layers written since the test began').toBeGreaterThanOrEqual(1);
}
