import { resolve } from 'node:path';
import { defaultHome } from './layout.js';
import { answersOk, upstreamGuarded } from './probes.js';
import { isAlive, processUid } from './processes.js';
import { infrastructureNames } from './services.js';
import { readStackFile, type StackFile, type StackProcess } from './stack-file.js';
import type { ProcessStatus, StackStatus } from './types.js';

async function probe(stack: StackFile, name: string, entry: StackProcess): Promise<ProcessStatus> {
  const alive = isAlive(entry.pid, entry.commandMark);
  const row = { name, pid: entry.pid, alive, healthPort: entry.healthPort, uid: alive ? processUid(entry.pid) : undefined };
  if (!alive) return { ...row, healthy: false, ready: false };
  if (name === infrastructureNames.upstream) {
    // An upstream that answers without the guard's credential is not healthy: it can be written around the guard.
    const ok = await upstreamGuarded(stack.upstream);
    return { ...row, healthy: ok, ready: ok };
  }
  if (entry.healthPort === undefined) return { ...row, healthy: true, ready: true };
  const base = `http://127.0.0.1:${entry.healthPort}`;
  if (name === infrastructureNames.nats) {
    const ok = await answersOk(`${base}/healthz`);
    return { ...row, healthy: ok, ready: ok };
  }
  const [healthy, ready] = await Promise.all([answersOk(`${base}/healthz`), answersOk(`${base}/readyz`)]);
  return { ...row, healthy, ready };
}

/**
 * What runs of the stack recorded in <home>/stack.json. `running` means every recorded process is
 * alive; each row says whether it is alive, healthy (/healthz) and ready (/readyz), and which user
 * id it runs as.
 */
export async function stackStatus(options: { home?: string } = {}): Promise<StackStatus> {
  const home = resolve(options.home ?? defaultHome());
  const stack = await readStackFile(home);
  if (!stack) return { running: false, endpoints: null, services: [] };
  const services = await Promise.all(Object.entries(stack.processes).map(([name, entry]) => probe(stack, name, entry)));
  return {
    running: services.every((service) => service.alive),
    endpoints: { nats: stack.natsUrl, registry: stack.frontDoor, upstream: stack.upstream },
    services,
  };
}
