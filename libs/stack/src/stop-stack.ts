import { resolve } from 'node:path';
import { defaultHome } from './layout.js';
import { isAlive, terminate } from './processes.js';
import { infrastructureNames } from './services.js';
import { readStackFile, removeStackFile } from './stack-file.js';
import { ownedProcesses } from './recorded-processes.js';
import type { StopStackResult } from './types.js';

/**
 * Stops the stack recorded in <home>/stack.json: services first, then the upstream registry, then
 * NATS, each with SIGTERM and, if it lingers, SIGKILL. Running it again is harmless.
 */
export async function stopStack(options: { home?: string } = {}): Promise<StopStackResult> {
  const home = resolve(options.home ?? defaultHome());
  const stack = await readStackFile(home);
  if (!stack) return { stopped: false, message: 'nothing is running', killed: [] };
  const processes = ownedProcesses(stack);
  const anyAlive = processes.some((entry) => isAlive(entry.pid, entry.commandMark));
  const last: string[] = [infrastructureNames.upstream, infrastructureNames.nats];
  const waves = [
    processes.filter((entry) => !last.includes(entry.name)),
    ...last.map((name) => processes.filter((entry) => entry.name === name)),
  ];
  const killed: string[] = [];
  for (const wave of waves) killed.push(...(await terminate(wave)));
  await removeStackFile(home);
  if (!anyAlive) return { stopped: false, message: 'nothing is running', killed };
  return { stopped: true, message: 'the stack is stopped', killed };
}
