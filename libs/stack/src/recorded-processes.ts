import { isAlive, type OwnedProcess } from './processes.js';
import type { StackFile } from './stack-file.js';

export function ownedProcesses(stack: StackFile): OwnedProcess[] {
  return Object.entries(stack.processes).map(([name, entry]) => ({ name, pid: entry.pid, commandMark: entry.commandMark }));
}

export function allAlive(stack: StackFile): boolean {
  return ownedProcesses(stack).every((entry) => isAlive(entry.pid, entry.commandMark));
}
